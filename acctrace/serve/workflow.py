"""Decisions become policy: a workflow proposed from a reviewed finding, previewed against
every other finding, then written to the policy file as a versioned change.

Saving keeps the previous policy file under `<policy>.history/` (numbered, never
overwritten) and writes the new one by atomic rename, so a hunt reads the old file or the
new one, never half of it. The new workflow is appended to the file's own text when that
reads back as exactly the old policy plus the workflow (comments and layout kept); else the
policy is written out whole.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml
from pydantic import ValidationError

from acctrace.assess.policy import Policy, Workflow, load_policy, mismatches
from acctrace.assess.tools import basename
from acctrace.errors import PolicyError
from acctrace.findings import Finding
from acctrace.yamlfile import first_problem

LIST_FIELDS = ("creators", "hosts", "process_images", "parent_images", "account_names")
VALIDITY = timedelta(days=365)  # a proposal is valid for a year unless the reviewer says else


def propose(finding: Finding, policy: Policy | None) -> Workflow:
    """A narrow workflow that approves this finding: its creator (or the policy's group that
    holds the creator), host, tool and parent, account names of the same shape, valid from
    its day for a year."""
    c, p = finding.creator, finding.process
    creators = [f"{c.domain}\\{c.name}" if c.domain else c.name] if c and c.name else []
    creators = _group_of(finding, policy) or creators
    start = _day(finding.time) or datetime.now(UTC).date()
    tool = basename(p.image) if p else ""
    host = (finding.host or "host").split(".")[0]
    return Workflow(
        name=f"{c.name if c and c.name else 'anyone'}-{tool or 'account'}-{host}".lower(),
        description=f"Proposed from finding {finding.id} ({finding.account.name}).",
        valid_from=start,
        valid_until=start + VALIDITY,
        creators=creators,
        hosts=[(finding.host or "").split(".")[0].lower()] if finding.host else [],
        process_images=[tool] if tool else [],
        parent_images=[basename(finding.lineage[0].image)] if finding.lineage else [],
        account_names=_name_pattern(finding.account.name or ""),
    )


def _group_of(finding: Finding, policy: Policy | None) -> list[str]:
    """`group:NAME` for the first group of the policy that holds the finding's creator."""
    for group in policy.groups if policy else {}:
        probe = Workflow(name="probe", creators=[f"group:{group}"])
        if not mismatches(probe, policy, finding):  # type: ignore[arg-type]
            return [f"group:{group}"]
    return []


def _name_pattern(name: str) -> list[str]:
    """Names of the same shape: `first.last` -> `*.*`, `svc-sql$` -> `*-*$`; a name of
    letters and digits only -> its leading letters then `*` (`tmp3` -> `tmp*`)."""
    shape = re.sub(r"[A-Za-z0-9]+", "*", name)
    if shape.strip("*"):
        return [shape]
    letters = re.match(r"[A-Za-z]*", name).group(0)  # type: ignore[union-attr]
    return [f"{letters.lower()}*"] if letters else ([name] if name else [])


def _day(iso: str | None) -> date | None:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).date() if iso else None


def from_form(form: Mapping[str, str]) -> Workflow:
    """A workflow from the form: list fields one value per line. Raises PolicyError."""
    document: dict[str, object] = {
        key: form.get(key, "").strip() or None
        for key in ("name", "description", "ticket", "valid_from", "valid_until")
    }
    for key in LIST_FIELDS:
        document[key] = [v.strip() for v in form.get(key, "").splitlines() if v.strip()]
    try:
        return Workflow.model_validate(document)
    except ValidationError as exc:
        raise PolicyError(first_problem(exc)) from None


def matches(workflow: Workflow, policy: Policy | None, findings: list[Finding]) -> list[Finding]:
    """The findings this workflow would approve (group names resolve in `policy`)."""
    context = policy or Policy(workflows=[])
    return [f for f in findings if not mismatches(workflow, context, f)]


@dataclass(frozen=True)
class Saved:
    path: Path
    previous: Path | None  # the kept copy of the policy before the change
    sha256_before: str | None
    sha256_after: str


def save(path: Path, workflow: Workflow) -> Saved:
    """Add `workflow` to the policy file at `path` (created when absent), keeping the old."""
    old_text = path.read_text(encoding="utf-8") if path.exists() else None
    policy = load_policy(path) if old_text is not None else Policy(workflows=[])
    if any(w.name == workflow.name for w in policy.workflows):
        raise PolicyError(f"a workflow named {workflow.name!r} exists already", str(path))
    wanted = policy.model_copy(update={"workflows": [*policy.workflows, workflow]})
    new_text = _appended(old_text, workflow, wanted) or _whole(wanted)
    previous = None
    if old_text is not None:
        history = path.with_name(path.name + ".history")
        history.mkdir(exist_ok=True)
        number = len(list(history.glob("*.yaml"))) + 1
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        previous = history / f"{number:04d}-{stamp}.yaml"
        shutil.copy2(path, previous)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(new_text, encoding="utf-8")
    os.replace(partial, path)
    return Saved(path, previous, _sha256(old_text) if old_text else None, _sha256(new_text))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _workflow_document(workflow: Workflow) -> dict:
    return workflow.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def _appended(old_text: str | None, workflow: Workflow, wanted: Policy) -> str | None:
    """The old text with the workflow appended as one more list item, when that reads back
    as `wanted`; None when the file's layout does not allow it."""
    if not old_text:
        return None
    items = re.search(r"^workflows:[ \t]*\n(?:[ \t]*#.*\n|[ \t]*\n)*([ \t]*)- ", old_text, re.M)
    if not items:
        return None
    indent = items.group(1)
    item = yaml.safe_dump([_workflow_document(workflow)], sort_keys=False, allow_unicode=True)
    item = "".join(indent + line for line in item.splitlines(keepends=True))
    text = old_text.rstrip("\n") + "\n\n" + item
    try:
        return text if Policy.model_validate(yaml.safe_load(text)) == wanted else None
    except (yaml.YAMLError, ValidationError):
        return None


def _whole(policy: Policy) -> str:
    document = policy.model_dump(mode="json", exclude_none=True)
    document["workflows"] = [_workflow_document(w) for w in policy.workflows]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
