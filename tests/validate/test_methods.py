"""Every creation method in knowledge/validation_methods.yaml, checked as detection-rules
checks every rule: one property across the whole collection, offenders listed at once."""

from __future__ import annotations

import re

from acctrace import knowledge
from acctrace.normalise.redact import REDACTED, redact_command_line
from acctrace.validate.methods import methods
from acctrace.validate.plan import build_plan

SECRET = "Xy7#kLm9!pQ2_z"  # shaped like the passwords the script makes


def test_ids_and_codes_are_unique() -> None:
    ids = [m.id for m in methods()]
    codes = [m.code for m in methods()]
    assert len(ids) == len(set(ids)) and len(codes) == len(set(codes))


def test_technique_follows_scope() -> None:
    wrong = [
        m.id
        for m in methods()
        if m.technique != {"local": "T1136.001", "domain": "T1136.002"}[m.scope]
    ]
    assert wrong == []


def test_the_issue_s_methods_are_all_planned() -> None:
    """net user (local, domain), New-LocalUser, New-ADUser, dsadd, ADSI, .NET, NetUserAdd
    and the three MMC snap-ins; MMC is manual (a GUI), the rest scripted."""
    planned = {m.id: m.mode for m in methods()}
    scripted = {
        "net-user-local", "net-user-domain", "new-localuser", "new-aduser", "dsadd-user",
        "adsi-winnt", "dotnet-accountmanagement", "netuseradd-api",
    }  # fmt: skip
    assert {k for k, v in planned.items() if v == "scripted"} == scripted
    assert {k for k, v in planned.items() if v == "manual"} == {
        "mmc-lusrmgr",
        "mmc-compmgmt",
        "mmc-dsa",
    }


def test_scripted_methods_use_the_run_s_password_never_a_literal() -> None:
    offenders = []
    for m in methods():
        if m.mode != "scripted":
            continue
        command = m.command or ""
        if "{account}" not in command or "$Password" not in command:
            offenders.append((m.id, "needs {account} and $Password"))
        if re.search(r"-(?:Account)?Password\s+['\"]|-pwd\s+[^$]", command):
            offenders.append((m.id, "a literal password"))
    assert offenders == []


def test_manual_methods_say_how_to_create_disabled_and_delete() -> None:
    offenders = [
        m.id
        for m in methods()
        if m.mode == "manual"
        and not (
            any("{account}" in s and "disabled" in s for s in m.steps)
            and any("Delete" in s for s in m.steps)
        )
    ]
    assert offenders == []


def test_acctrace_redacts_every_logged_command_line() -> None:
    """The secret a method puts on a command line never reaches an output."""
    offenders = []
    for m in methods():
        if m.logged_command_line is None:
            continue
        logged = m.logged_command_line.format(account="acv123456xx", password=SECRET)
        redacted = redact_command_line(logged) or ""
        if SECRET in redacted or REDACTED not in redacted or "acv123456xx" not in redacted:
            offenders.append((m.id, redacted))
    assert offenders == []


def test_methods_that_run_a_tool_are_known_creation_commands() -> None:
    """What the script runs is what account_tools.yaml recognises as a creation."""
    patterns = [p for _, p in knowledge.compiled("account_tools", "creation_commands")]
    missed = [
        m.id
        for m in methods()
        if m.logged_command_line and not any(p.search(m.logged_command_line) for p in patterns)
    ]
    assert missed == []


def test_account_names_fit_the_sam_and_are_unique_per_run() -> None:
    plan = build_plan(["local", "domain"])
    names = [p.account for p in plan.methods]
    assert len(set(names)) == len(names) == len(methods())
    assert all(len(n) <= 20 and n.startswith("acv" + plan.run_id) for n in names)
    assert build_plan(["local"]).run_id != plan.run_id


def test_the_parent_net_exe_command_line_is_redacted_too() -> None:
    """PowerShell starts net.exe by its quoted path; net.exe's own 4688 carries the secret."""
    offenders, checked = [], 0
    for m in methods():
        command = m.command or ""
        if not command.startswith("net "):
            continue
        checked += 1
        args = command.removeprefix("net ").format(account="acv123456xx")
        logged = f'"C:\\Windows\\system32\\net.exe" {args.replace("$Password", SECRET)}'
        redacted = redact_command_line(logged) or ""
        if SECRET in redacted:
            offenders.append((m.id, redacted))
    assert offenders == [] and checked == 2
