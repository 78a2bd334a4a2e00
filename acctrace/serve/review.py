"""What a reviewer decides about a finding, and the review state every page shows.

A finding is `unreviewed` until someone records a disposition; one that an approved workflow
matched shows as `workflow` until then (the policy approved it, no person has looked).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from acctrace.findings import Finding

Disposition = Literal[
    "approved",
    "legitimate_outside_workflow",
    "false_positive",
    "malicious_confirmed",
    "needs_owner",
]

DISPOSITIONS: dict[str, str] = {
    "approved": "Approved (ticket or change)",
    "legitimate_outside_workflow": "Legitimate, outside any workflow",
    "false_positive": "False positive",
    "malicious_confirmed": "Malicious, confirmed",
    "needs_owner": "Needs an owner",
}
STATES: dict[str, str] = {"unreviewed": "Unreviewed", "workflow": "Approved by workflow"}
STATES.update(DISPOSITIONS)


class Review(BaseModel):
    """One reviewer's decision, as submitted by the review form."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    disposition: Disposition
    ticket: str | None = Field(None, max_length=200, description="change or ticket reference")
    owner: str | None = Field(None, max_length=200, description="who owns the new account")
    note: str | None = Field(None, max_length=4000)

    @model_validator(mode="after")
    def _approval_names_its_ticket(self) -> Review:
        if self.disposition == "approved" and not self.ticket:
            raise ValueError("an approval needs the ticket or change reference that allowed it")
        return self


def state_of(finding: Finding, review: dict[str, Any] | None) -> str:
    """The review state key of a finding: its disposition, else workflow, else unreviewed."""
    if review:
        return str(review["disposition"])
    return "workflow" if finding.approval else "unreviewed"


def snapshot(finding: Finding, review: dict[str, Any] | None) -> dict[str, Any]:
    """The finding's state as the ledger records it before and after an action."""
    return {
        "state": state_of(finding, review),
        "review": review,
        "severity": finding.verdict.severity,
        "approval": finding.approval.model_dump() if finding.approval else None,
    }
