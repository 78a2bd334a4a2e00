"""Report fixtures: the demo domain as written by `acctrace demo`, and a hostile variant whose
logged strings try to break out of every output format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from acctrace.assess.policy import load_policy
from acctrace.findings import Finding, HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.story import generate
from acctrace.scenario.writers import by_host, write, write_demo

DEMO_POLICY = Path(__file__).resolve().parents[2] / "acctrace" / "scenario" / "demo-policy.yaml"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_SHELL = '"cmd.exe" /k title </script><script>alert(2)</script>'


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(out, "ecs")
    return out


@pytest.fixture(scope="session")
def demo_result(demo_dir: Path) -> HuntResult:
    return run([demo_dir], HuntOptions(policy=load_policy(DEMO_POLICY)))


def _hostile(value: str) -> str:
    value = value.replace("backdoor", HOSTILE_NAME)
    return HOSTILE_SHELL if value == '"cmd.exe"' else value


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with `backdoor` renamed to an HTML payload and alice's shell carrying one."""
    out = tmp_path_factory.mktemp("hostile")
    events = [replace(e, data={k: _hostile(v) for k, v in e.data.items()}) for e in generate()]
    for host, host_events in by_host(events):
        write(host_events, out / f"{host.split('.', 1)[0].lower()}.ndjson", "ecs")
    return out


@pytest.fixture(scope="session")
def hostile_result(hostile_dir: Path) -> HuntResult:
    return run([hostile_dir], HuntOptions())


def by_name(result: HuntResult, name: str) -> Finding:
    return next(f for f in result.findings if f.account.name == name)
