"""The correlation time window, ATT&CK's TimeWindow tunable.

Apart from analytic.py so that the command line can show its default without loading Ibis.
"""

from __future__ import annotations

from dataclasses import dataclass

SECOND_US = 1_000_000


@dataclass(frozen=True)
class Window:
    """How far from an account creation a candidate process may have started.

    `before_s` is ATT&CK's TimeWindow; `after_s` tolerates clock skew between channels
    (4688 and Sysmon are written by different components, and NXLog times are rounded).
    """

    before_s: float = 120.0
    after_s: float = 5.0

    @property
    def before_us(self) -> int:
        return int(self.before_s * SECOND_US)

    @property
    def after_us(self) -> int:
        return int(self.after_s * SECOND_US)
