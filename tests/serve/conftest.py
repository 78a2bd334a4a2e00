"""The console as users run it: `acctrace serve` started for real on 127.0.0.1 over a store
that `acctrace ingest` filled (the demo domain, or a hostile variant of it)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.findings import Finding
from acctrace.scenario.events import number_records
from acctrace.scenario.history import intrusion, routine
from acctrace.scenario.writers import write
from acctrace.serve.auth import add_user
from tests.report.conftest import DEMO_POLICY, demo_dir, hostile_dir  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]
PASSWORDS = {"vera": "viewer-pass-1", "rita": "reviewer-pass-1", "adam": "admin-pass-1"}


def ingest(logs: Path, store: Path, damaged: bool = False) -> Path:
    """`acctrace ingest`; exit status 3 is expected where some inputs are `damaged`."""
    result = CliRunner().invoke(cli, ["ingest", str(logs), "--db", str(store)])
    assert result.exit_code == (3 if damaged else 0), result.output
    return store


@dataclass
class Served:
    url: str
    token: str | None
    store: Path
    ledger: Path
    policy: Path | None
    process: subprocess.Popen
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self) -> httpx.Client:
        """A browser-like client (it keeps cookies); closed when the server stops."""
        self.clients.append(httpx.Client(base_url=self.url, timeout=30))
        return self.clients[-1]

    def logged_in(self, name: str | None = None) -> httpx.Client:
        client = self.client()
        if name is None:
            response = client.get("/login", params={"token": self.token})
        else:
            csrf = csrf_token(client.get("/login").text)
            form = {"csrftoken": csrf, "name": name, "password": PASSWORDS[name]}
            response = client.post("/login", data=form)
        assert response.status_code == 303, response.text
        return client


def csrf_token(page: str) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def finding_ids(page: str) -> list[str]:
    return re.findall(r'<tr data-finding-id="([0-9a-f]+)"', page)


def start(store: Path, *more: str) -> Served:
    """`acctrace serve` in its own process on a free port of 127.0.0.1; stops with the test.
    Its stderr goes to a file beside the store, so a full pipe can never stall it."""
    log = store.with_name(store.name + ".serve.log")
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "acctrace", "serve", "--db", str(store), "--port", "0", *more],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    url = process.stdout.readline().strip()  # type: ignore[union-attr]
    if not url:
        process.wait(10)
        pytest.fail(f"acctrace serve did not start: {log.read_text()}")
    found = re.search(r"token=(\S+)", log.read_text())
    policy = Path(more[more.index("--policy") + 1]) if "--policy" in more else None
    ledger = store.with_name(store.name + ".ledger.sqlite")
    return Served(url, found.group(1) if found else None, store, ledger, policy, process)


def stop(served: Served) -> None:
    for client in served.clients:
        client.close()
    served.process.terminate()
    served.process.wait(10)
    served.process.stdout.close()  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def demo_served(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # noqa: F811
    """The demo store with a copy of the demo policy, logged in with the printed token."""
    work = tmp_path_factory.mktemp("serve-demo")
    policy = work / "policy.yaml"
    shutil.copy(DEMO_POLICY, policy)
    served = start(ingest(demo_dir, work / "demo.duckdb"), "--policy", str(policy))
    yield served
    stop(served)


@pytest.fixture(scope="module")
def hostile_served(hostile_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:  # noqa: F811
    """The hostile store, with a users file: vera views, rita reviews, adam administers."""
    work = tmp_path_factory.mktemp("serve-hostile")
    users = work / "team.yaml"
    for name, role in (("vera", "viewer"), ("rita", "reviewer"), ("adam", "admin")):
        add_user(users, name, role, PASSWORDS[name])
    served = start(ingest(hostile_dir, work / "hostile.duckdb"), "--users", str(users))
    yield served
    stop(served)


@pytest.fixture(scope="module")
def history_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A week of the help desk's routine provisioning, then the night it was abused
    (acctrace/scenario/history.py), with the commented demo policy, which approves none."""
    work = tmp_path_factory.mktemp("serve-history")
    (work / "logs").mkdir()
    # Numbered as one log: numbered apart, the two would share record ids, and acctrace
    # rightly keeps two different events with one record id as two.
    events = number_records(routine(weeks=1) + intrusion(weeks=1))
    write(events, work / "logs" / "security.jsonl", "event-json")
    policy = work / "policy.yaml"
    shutil.copy(DEMO_POLICY, policy)
    served = start(ingest(work / "logs", work / "history.duckdb"), "--policy", str(policy))
    yield served
    stop(served)


def hunted(served: Served) -> list[Finding]:
    """What `acctrace hunt --db STORE --policy POLICY --json` says, to compare the console to."""
    more = ["--policy", str(served.policy)] if served.policy else []
    result = CliRunner().invoke(cli, ["hunt", "--db", str(served.store), "--json", *more])
    assert result.exit_code == 0, result.output
    return [Finding.model_validate_json(line) for line in result.stdout.splitlines()]
