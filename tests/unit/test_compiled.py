"""The analytic's steps compiled ahead (acctrace/correlate/compiled.py) are the steps Ibis
compiles now, and running them with sentinels replaced gives what compiling each step
with the real tunables gives."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from acctrace.correlate import compile as ahead
from acctrace.correlate.engine import Engine, Tunable, call
from acctrace.correlate.window import SECOND_US, Window
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.adversarial import domain
from acctrace.scenario.story import generate
from acctrace.scenario.writers import write_event_json


class CompiledWithRealTunables(Engine):
    """Each step compiled by Ibis with the run's own window and bounds, no sentinels."""

    def step(
        self, name: str, build: str, *inputs: str, window: Window | None = None, **t: Tunable
    ) -> str:
        tables = [ibis.table(ibis.Schema.from_pyarrow(self.schema(n)), name=n) for n in inputs]
        sql = ibis.to_sql(call(build, tables, window, t), dialect="duckdb")
        self.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {sql}')
        return name


def test_the_compiled_steps_are_current() -> None:
    assert ahead.render(ahead.compile_steps()) == ahead.TARGET.read_text(encoding="utf-8"), (
        "the analytic changed: run `python -m acctrace.correlate.compile`"
    )


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("domains")
    return [
        write_event_json(generate(), folder / "demo.json"),
        write_event_json(domain(3).events, folder / "adversarial.json"),
    ]


@pytest.mark.parametrize(
    "options",
    [
        HuntOptions(),
        HuntOptions(window=Window(before_s=20, after_s=1.5)),
        HuntOptions(window=Window(before_s=600, after_s=9), since_us=1_700_000_000 * SECOND_US),
    ],
    ids=["default", "narrow", "wide-since"],
)
def test_sentinels_stand_for_the_tunables(
    logs: list[Path], options: HuntOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = run(logs, options)
    monkeypatch.setattr("acctrace.pipeline.Engine", CompiledWithRealTunables)
    direct = run(logs, options)
    assert compiled.findings, "the domains hold account creations"
    assert [f.model_dump() for f in compiled.findings] == [f.model_dump() for f in direct.findings]
