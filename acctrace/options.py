"""The knobs of one hunt, owned by the pipeline and handed to each stage.

Apart from pipeline.py so that the assessment can take them without importing the pipeline
that calls it; `acctrace.pipeline.HuntOptions` is this class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from acctrace.assess.inventory import Inventory
from acctrace.assess.policy import Policy
from acctrace.baseline.novelty import Baseline
from acctrace.correlate.window import Window


@dataclass
class HuntOptions:
    window: Window = field(default_factory=Window)  # ATT&CK's TimeWindow, for every join
    policy: Policy | None = None  # approved provisioning workflows
    builtin_benign: bool = True  # the built-in list of benign accounts is applied
    since_us: int | None = None
    until_us: int | None = None
    creations: list[str] | None = None  # only these creations, by event key (watch's hunts)
    max_hops: int = 3  # how many remote-session hops to follow back
    inventory: Inventory = field(default_factory=Inventory)
    workers: int | None = 1  # processes reading files in parallel; None: chosen by size (CLI)
    engine: str = "duckdb"  # or "spark": the same analytic on Apache Spark
    spark_master: str = "local[*]"
    parquet: Path | None = None  # hunt a Parquet dataset (acctrace ingest --parquet)
    baseline: Baseline | None = None  # hunt --baseline: history reasons (docs/baseline.md)
