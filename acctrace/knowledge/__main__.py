"""`python -m acctrace.knowledge`: rewrite version.lock.json after bumping a file's version.

A knowledge file that changes must get a new `version`; the lock records each file's
version and digest, and tests/unit/test_knowledge.py fails while they disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

from acctrace import knowledge

LOCK = Path(__file__).with_name("version.lock.json")


def lock() -> dict[str, dict[str, object]]:
    return {
        name: {"version": knowledge.load(name)["version"], "sha256": knowledge.digest(name)}
        for name in knowledge.FILES
    }


if __name__ == "__main__":
    LOCK.write_text(json.dumps(lock(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {LOCK}")
