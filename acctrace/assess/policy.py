"""Approved provisioning workflows: which account creations are expected here.

A workflow matches a finding when every condition it states holds; within a condition
any listed value may match. Values are case-insensitive globs. A workflow must state at
least one condition, so an empty entry can never approve everything.
"""

from __future__ import annotations

from datetime import date, datetime
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from acctrace.assess.tools import basename
from acctrace.errors import PolicyError
from acctrace.findings import Finding
from acctrace.yamlfile import load_model


class Workflow(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when a policy is read

    name: str
    description: str | None = None
    ticket: str | None = Field(None, description="change or ticket reference")
    valid_from: date | None = None
    valid_until: date | None = None
    creators: list[str] = Field(
        default_factory=list, description="name, DOMAIN\\name, SID or group:NAME"
    )
    hosts: list[str] = Field(default_factory=list)
    process_images: list[str] = Field(default_factory=list)
    parent_images: list[str] = Field(default_factory=list)
    account_names: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _states_a_condition(self) -> Workflow:
        if not (
            self.creators
            or self.hosts
            or self.process_images
            or self.parent_images
            or self.account_names
        ):
            raise ValueError(
                f"workflow {self.name!r} states no condition and would approve everything"
            )
        return self


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    version: int = 1
    groups: dict[str, list[str]] = Field(default_factory=dict, description="group -> members")
    workflows: list[Workflow]


def load_policy(path: Path) -> Policy:
    return load_model(path, Policy, PolicyError)


def _any(patterns: list[str], *values: str | None) -> bool:
    return any(fnmatchcase(v.lower(), p.lower()) for p in patterns for v in values if v)


def _creator_identities(finding: Finding) -> list[str]:
    c = finding.creator
    if c is None:  # only the registry shows the creation: no creator to match
        return []
    names = [c.name, c.sid]
    if c.domain and c.name:
        names.append(f"{c.domain}\\{c.name}")
    return [n for n in names if n]


def mismatches(workflow: Workflow, policy: Policy, finding: Finding) -> list[str]:
    """The conditions of `workflow` that `finding` fails, in words; empty when it matches."""
    failed: list[str] = []
    when = (
        datetime.fromisoformat(finding.time.replace("Z", "+00:00")).date() if finding.time else None
    )
    if workflow.valid_from and (when is None or when < workflow.valid_from):
        failed.append(f"before its validity ({workflow.valid_from})")
    if workflow.valid_until and (when is None or when > workflow.valid_until):
        failed.append(f"after its validity ({workflow.valid_until})")
    if workflow.creators and not _creator_matches(workflow.creators, policy, finding):
        creator = (_creator_identities(finding) or ["unknown"])[-1]
        failed.append(f"creator {creator} is not one of {_listed(workflow.creators)}")
    if workflow.hosts and not _any(
        workflow.hosts, finding.host, (finding.host or "").split(".")[0]
    ):
        failed.append(f"host {finding.host} is not one of {_listed(workflow.hosts)}")
    image = finding.process.image if finding.process else None
    if workflow.process_images and not _any(workflow.process_images, image, basename(image)):
        failed.append(
            f"process {basename(image) or 'unknown'} is not one of "
            f"{_listed(workflow.process_images)}"
        )
    parent = finding.lineage[0].image if finding.lineage else None
    if workflow.parent_images and not _any(workflow.parent_images, parent, basename(parent)):
        failed.append(
            f"parent {basename(parent) or 'unknown'} is not one of "
            f"{_listed(workflow.parent_images)}"
        )
    if workflow.account_names and not _any(workflow.account_names, finding.account.name):
        failed.append(
            f"account name {finding.account.name} matches none of {_listed(workflow.account_names)}"
        )
    return failed


def _listed(values: list[str]) -> str:
    """Values as people write them in a sentence, not as Python prints a list."""
    return ", ".join(values)


def _creator_matches(patterns: list[str], policy: Policy, finding: Finding) -> bool:
    identities = _creator_identities(finding)
    expanded: list[str] = []
    for p in patterns:
        if p.lower().startswith("group:"):
            expanded.extend(policy.groups.get(p[6:], []))
        else:
            expanded.append(p)
    return _any(expanded, *identities)


def match(policy: Policy, finding: Finding) -> tuple[Workflow | None, str | None]:
    """The first workflow that approves the finding, or None and why the closest did not."""
    closest: tuple[int, Workflow, list[str]] | None = None
    for workflow in policy.workflows:
        failed = mismatches(workflow, policy, finding)
        if not failed:
            return workflow, None
        if closest is None or len(failed) < closest[0]:
            closest = (len(failed), workflow, failed)
    if closest is None:
        return None, "the policy lists no workflow"
    _, workflow, failed = closest
    return None, f"closest workflow '{workflow.name}': " + "; ".join(failed)
