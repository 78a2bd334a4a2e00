"""Golden findings: what acctrace concludes on every real file and on generated domains.

A speed-up must change no finding; only a change to the analytic itself (attribution,
verdicts, reasons) may, and then the golden files are regenerated in the same commit:

    ACCTRACE_UPDATE_GOLDEN=1 pytest tests/integration/test_golden.py

Each finding is one line of tests/golden/*.jsonl: its id, account, creator, creating process
and confidence, lineage, follow-ups, origin, verdict and reason codes (not the prose, nor
command lines), so `git diff` shows which conclusions a change moved.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import orjson
import pytest

from acctrace.assess.policy import load_policy
from acctrace.commands.demo import DEMO_POLICY
from acctrace.findings import Finding, HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.writers import write_demo

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("ACCTRACE_UPDATE_GOLDEN") == "1"


def _name(domain: str | None, name: str | None) -> str:
    return f"{domain}\\{name}" if domain else str(name)


def essentials(f: Finding) -> dict[str, object]:
    """The conclusions of one finding, compactly."""
    p, o = f.process, f.origin
    return {
        "id": f.id,
        "time": f.time,
        "host": f.host,
        "basis": f.evidence_basis,
        "account": f"{_name(f.account.domain, f.account.name)} {f.account.sid} {f.account.scope}",
        "creator": f.creator
        and f"{_name(f.creator.domain, f.creator.name)} {f.creator.logon_id} {f.creator.kind}",
        "session": f.session and f"{f.session.logon_type} {f.session.source_ip}",
        "process": p and f"{p.image} pid={p.pid} {p.telemetry}",
        "confidence": round(p.confidence, 3) if p and p.confidence is not None else None,
        "alternatives": [a.image for a in f.alternatives],
        "lineage": [f"{a.image} pid={a.pid}" for a in f.lineage],
        "follow_up": [f"{x.event_id} {x.action}" for x in f.follow_up],
        "origin": o and f"{o.host} {o.source_ip} {o.via.mechanism} {round(o.confidence, 3)}",
        "verdict": f"{f.verdict.severity} {f.verdict.score}",
        "reasons": [r.code for r in f.verdict.reasons],
        "approval": f.approval and f.approval.workflow,
    }


def check_golden(name: str, result: HuntResult) -> None:
    lines = sorted(orjson.dumps(essentials(f)).decode() for f in result.findings)
    path = GOLDEN / f"{name}.jsonl"
    if UPDATE:
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8").splitlines()
    if lines != expected:
        diff = "\n".join(difflib.unified_diff(expected, lines, "golden", "now", lineterm="", n=0))
        pytest.fail(
            f"findings differ from tests/golden/{name}.jsonl:\n{diff}\n\n"
            "A speed-up must not change findings. If the analytic changed on purpose, "
            "regenerate with `ACCTRACE_UPDATE_GOLDEN=1 pytest tests/integration/test_golden.py` "
            "and commit the golden files with the change.",
            pytrace=False,
        )


def test_real_data_findings_are_the_golden_ones(whole_tree: HuntResult) -> None:
    check_golden("real-data", whole_tree)


@pytest.mark.parametrize(
    ("seed", "shape", "policy"),
    [(7, "ecs", DEMO_POLICY), (8, "event-json", None)],  # `acctrace demo`, and another day
)
def test_generated_domain_findings_are_the_golden_ones(
    tmp_path: Path, seed: int, shape: str, policy: Path | None
) -> None:
    options = HuntOptions(policy=load_policy(policy) if policy else None)
    result = run(write_demo(tmp_path, shape, seed), options)
    check_golden(f"demo-seed{seed}-{shape}", result)
