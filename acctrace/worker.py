"""What a reading worker process runs first (`reading._read_in_parallel` starts them).

Kept apart from `acctrace.reading`, which imports pyarrow: the spawned worker imports this
module to start, so it can refuse pandas and numpy before pyarrow would import them.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
import threading
import time
from typing import Any


def start_worker(parent: int) -> None:
    sys.meta_path.insert(0, _WithoutPandasNorNumpy())
    from acctrace.sources import evtx

    evtx.PARSER_THREADS = 1  # the other cores have workers of their own
    _exit_with_parent(parent)  # given by the parent: it may be gone before this runs


def _exit_with_parent(parent: int) -> None:
    """A parent killed with -9 cannot stop its pool, and workers would read on for minutes:
    each worker watches its parent's id and exits once it is another (it was adopted)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="acctrace-parent-watch", daemon=True).start()


class _WithoutPandasNorNumpy(importlib.abc.MetaPathFinder):
    """pyarrow imports numpy when it is imported (0.06 s of CPU in each worker) and pandas
    the first time it converts Python objects (0.25 s); a reading worker needs neither, and
    pyarrow works without them. Here they are not installed."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] in ("pandas", "numpy"):
            raise ModuleNotFoundError(f"{name} is not used in a reading worker", name=name)
