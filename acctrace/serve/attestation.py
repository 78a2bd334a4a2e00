"""The attestation for a period: every account created, by whom, how, with what privilege,
approved by which workflow or reviewed by whom, and what is still unreviewed; and who
exercises account-creation rights.

An auditor verifies it later with the hashes it carries: per account, the SHA-256 of each
evidence file with the record ids used, and one digest over them; for the whole, the
ledger's head hash and length (`acctrace ledger verify LEDGER --head HASH`).
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any, TextIO

from acctrace.findings import Finding
from acctrace.report.casefile import account_label, creator_label
from acctrace.report.csv_timeline import neutralise
from acctrace.serve.review import STATES, state_of
from acctrace.serve.table import row as table_row


@dataclass(frozen=True)
class Account:
    time: str
    host: str
    account: str
    account_sid: str
    creator: str
    creator_kind: str
    privilege: str
    tool: str
    command_line: str
    logon: str
    severity: str
    approved_by_workflow: str
    review: str
    reviewer: str
    reviewed_at: str
    owner: str
    ticket: str
    note: str
    unreviewed: bool
    evidence: str  # file SHA-256 and record ids, one per line
    evidence_sha256: str
    finding_id: str


@dataclass(frozen=True)
class CreatorUse:
    """One creator's use of account-creation rights in the period."""

    creator: str
    accounts: int
    hosts: tuple[str, ...]
    tools: tuple[str, ...]
    approved: int  # by a workflow, or reviewed as approved or legitimate
    not_approved: int


@dataclass
class Attestation:
    since: str
    until: str
    generated: str
    accounts: list[Account]
    creators: list[CreatorUse]
    ledger_entries: int
    ledger_head: str
    store: str
    policy_sha256: str  # of the policy file the approvals come from; empty without one

    @property
    def unreviewed(self) -> int:
        return sum(a.unreviewed for a in self.accounts)


_APPROVING = {"workflow", "approved", "legitimate_outside_workflow"}


def account(finding: Finding, review: dict[str, Any] | None) -> Account:
    r = table_row(finding, review)
    review = review or {}
    c, s = finding.creator, finding.session
    privilege = {True: "admin (4672)", False: "not admin", None: "unknown"}[c.admin if c else None]
    approval = finding.approval
    evidence = sorted(
        {f"{src.sha256 or 'no-hash'} {src.file} record {src.record_id}" for src in finding.sources}
    )
    return Account(
        time=r.time,
        host=r.host,
        account=account_label(finding),
        account_sid=finding.account.sid or "",
        creator=creator_label(finding),
        creator_kind=c.kind if c else "unknown",
        privilege=privilege,
        tool=r.tool,
        command_line=(finding.process.command_line or "") if finding.process else "",
        logon=f"{s.logon_type_name or s.logon_type} from {s.source_ip or 'local'}" if s else "",
        severity=r.severity,
        approved_by_workflow=f"{approval.workflow} ({approval.ticket or 'no ticket'})"
        if approval
        else "",
        review=STATES[state_of(finding, review or None)],
        reviewer=review.get("reviewer", ""),
        reviewed_at=review.get("at", ""),
        owner=review.get("owner") or "",
        ticket=review.get("ticket") or "",
        note=review.get("note") or "",
        unreviewed=r.review == "unreviewed",
        evidence="\n".join(evidence),
        evidence_sha256=hashlib.sha256("\n".join(evidence).encode()).hexdigest(),
        finding_id=finding.id,
    )


def creators(findings: list[Finding], reviews: dict[str, dict[str, Any]]) -> list[CreatorUse]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[creator_label(f)].append(f)
    uses = []
    for who, made in grouped.items():
        rows = [table_row(f, reviews.get(f.id)) for f in made]
        approved = sum(r.review in _APPROVING for r in rows)
        uses.append(
            CreatorUse(
                creator=who,
                accounts=len(made),
                hosts=tuple(h for h, _ in Counter(r.host for r in rows).most_common()),
                tools=tuple(t for t, _ in Counter(r.tool for r in rows).most_common()),
                approved=approved,
                not_approved=len(made) - approved,
            )
        )
    return sorted(uses, key=lambda u: (-u.accounts, u.creator))


def write_csv(attestation: Attestation, stream: TextIO) -> None:
    """One row per account with the period and ledger head; a spreadsheet shows every
    logged string as text."""
    writer = csv.writer(stream, lineterminator="\n")
    context = {
        "period_since": attestation.since,
        "period_until": attestation.until,
        "ledger_entries": attestation.ledger_entries,
        "ledger_head": attestation.ledger_head,
        "policy_sha256": attestation.policy_sha256,
    }  # on every row, so each row can be checked on its own
    writer.writerow([*Account.__dataclass_fields__, *context])
    for a in attestation.accounts:
        writer.writerow([neutralise(v) for v in [*asdict(a).values(), *context.values()]])
