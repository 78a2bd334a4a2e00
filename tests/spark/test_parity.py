"""The Spark engine runs the very same analytic: identical findings, same ids, same order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from acctrace.findings import HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.reading import read_inputs
from acctrace.scenario.writers import write_demo
from acctrace.storage import parquet

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Java 17 is not installed", allow_module_level=True)

SPARK = HuntOptions(engine="spark", spark_master="local[2]")
# py4j leaves its gateway sockets to the garbage collector.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def findings(result: HuntResult) -> list[dict]:
    return [f.model_dump() for f in result.findings]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_demo(tmp_path_factory.mktemp("spark-demo"), "event-json", seed=11)


def test_every_real_file_and_a_generated_domain_give_identical_findings(
    shared_data: Path, demo: list[Path]
) -> None:
    paths = [shared_data, *demo]
    embedded = run(paths, HuntOptions())
    spark = run(paths, SPARK)  # read on the executors with mapInArrow, correlated on Spark
    assert len(embedded.findings) >= 17
    assert findings(spark) == findings(embedded)
    assert {t.file for t in spark.files} == {t.file for t in embedded.files}


def test_a_parquet_dataset_gives_the_same_findings_on_both_engines(
    tmp_path: Path, demo: list[Path]
) -> None:
    lake = tmp_path / "lake"
    parquet.write(read_inputs(demo).store.tables(), lake)
    on_duckdb = run([], HuntOptions(parquet=lake))
    on_spark = run([], HuntOptions(engine="spark", spark_master="local[2]", parquet=lake))
    assert findings(on_spark) == findings(on_duckdb) == findings(run(demo, HuntOptions()))
    assert len(on_duckdb.findings) == 7
