"""A validation plan: which methods run, under which test account names, in which run.

The manifest (plan.json) is what `check` reads back; the script and the manual steps are
written from the same plan, so the names in all three always agree.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from acctrace import __version__, knowledge
from acctrace.errors import AcctraceError
from acctrace.validate.methods import Method, Scope, methods
from acctrace.validate.output import write_files

PLAN_VERSION = "1"
ACCOUNT_PREFIX = "acv"  # every test account starts so: easy to find, easy to exclude
SCRIPT_NAME = "acctrace-validate.ps1"
MANIFEST_NAME = "plan.json"
STEPS_NAME = "manual-steps.md"
# Seconds between methods: more than the 5 s of clock skew the correlation window tolerates
# after a creation (correlate/window.py), so each method's processes stand alone.
METHOD_PAUSE_S = 10


class PlannedMethod(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    technique: str
    scope: Scope
    mode: str
    account: str


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_version: str = PLAN_VERSION
    run_id: str
    created: str
    acctrace_version: str
    knowledge: dict[str, int]
    scopes: list[Scope]
    methods: list[PlannedMethod]

    def method(self, planned: PlannedMethod) -> Method:
        return next(m for m in methods() if m.id == planned.id)


def account_name(run_id: str, method: Method) -> str:
    """At most 20 characters (the SAM's limit), unique per run and method."""
    return f"{ACCOUNT_PREFIX}{run_id}{method.code}"


def build_plan(scopes: list[Scope], run_id: str | None = None) -> Plan:
    run_id = run_id or secrets.token_hex(3)
    chosen = [m for m in methods() if m.scope in scopes]
    return Plan(
        run_id=run_id,
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        acctrace_version=__version__,
        knowledge=knowledge.versions(),
        scopes=scopes,
        methods=[
            PlannedMethod(
                id=m.id,
                title=m.title,
                technique=m.technique,
                scope=m.scope,
                mode=m.mode,
                account=account_name(run_id, m),
            )
            for m in chosen
        ],
    )


def load_plan(path: Path) -> Plan:
    """The plan a directory or manifest holds; a bad file is one line naming it."""
    manifest = path / MANIFEST_NAME if path.is_dir() else path
    try:
        return Plan.model_validate_json(manifest.read_bytes())
    except OSError as exc:
        raise PlanError(f"cannot read the plan ({exc.strerror or exc})", str(manifest)) from exc
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise PlanError(f"not an acctrace validation plan ({first})", str(manifest)) from exc


class PlanError(AcctraceError):
    """A plan file that is missing or not a plan."""


def write_plan(plan: Plan, directory: Path) -> list[Path]:
    """The script, the manifest and (when the plan has manual methods) the manual steps."""
    from acctrace.validate.script import manual_steps, script

    files = {SCRIPT_NAME: script(plan), MANIFEST_NAME: plan.model_dump_json(indent=2) + "\n"}
    if any(p.mode == "manual" for p in plan.methods):
        files[STEPS_NAME] = manual_steps(plan)
    return write_files(directory, files)
