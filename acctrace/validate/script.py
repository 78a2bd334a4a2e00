"""The PowerShell script and the manual steps written from a plan.

The script refuses to run without an explicit switch, creates each test account disabled
with a random password held only in memory, removes it in a `finally` (disabling it if
removal fails) and appends one JSON line per method to the run log that `check` reads.
"""

from __future__ import annotations

from importlib import resources

from acctrace.validate.methods import cleanup
from acctrace.validate.plan import METHOD_PAUSE_S, Plan, PlannedMethod

# The channels `check` reads, exported with the tool Windows ships.
CHANNELS = (
    ("Security", "security.evtx"),
    ("Microsoft-Windows-Sysmon/Operational", "sysmon.evtx"),
    ("Microsoft-Windows-PowerShell/Operational", "powershell.evtx"),
    ("System", "system.evtx"),
)


def collect_commands(host: str = "$env:COMPUTERNAME") -> list[str]:
    """wevtutil exports of every channel `check` reads, into logs\\<host>-<channel>.evtx."""
    return [f'wevtutil epl "{channel}" "logs\\{host}-{file}"' for channel, file in CHANNELS]


def _indent(text: str, spaces: int = 8) -> str:
    return "\n".join((" " * spaces + line) if line else line for line in text.splitlines())


def _call(plan: Plan, planned: PlannedMethod) -> str:
    method = plan.method(planned)
    tidy = cleanup(planned.scope)
    command = (method.command or "").replace("{account}", planned.account)
    return (
        f"# {method.title} ({method.technique}, {method.scope})\n"
        f"Invoke-TestMethod -Method '{planned.id}' -Account '{planned.account}'"
        f" -Scope '{planned.scope}' -Create {{\n{_indent(command)}\n"
        f"}} -Delete {{ {tidy.delete.replace('{account}', planned.account)} }}"
        f" -Disable {{ {tidy.disable.replace('{account}', planned.account)} }}\n"
    )


def script(plan: Plan) -> str:
    scripted = [p for p in plan.methods if p.mode == "scripted"]
    manual = [p for p in plan.methods if p.mode == "manual"]
    collect = "\n".join(
        f"Write-Host '  {line}'" for line in ["mkdir logs -Force | Out-Null", *collect_commands()]
    )
    manual_note = (
        f"Write-Host 'Now follow manual-steps.md for the {len(manual)} MMC methods.'\n"
        if manual
        else ""
    )
    text = resources.files(__package__).joinpath("templates", "plan.ps1").read_text("utf-8")
    for key, value in {
        "__RUN_ID__": plan.run_id,
        "__PAUSE__": str(METHOD_PAUSE_S),
        "__VERSION__": plan.acctrace_version,
        "__CREATED__": plan.created,
        "__METHOD_LIST__": ", ".join(p.id for p in plan.methods),
        "__DOMAIN_METHODS__": "$true" if any(p.scope == "domain" for p in scripted) else "$false",
        "__METHODS__": "\n".join(_call(plan, p) for p in scripted),
        "__MANUAL_NOTE__": manual_note,
        "__COLLECT__": collect,
    }.items():
        text = text.replace(key, value)
    return text.replace("\n", "\r\n")  # Windows PowerShell 5.1 reads CRLF scripts best


def manual_steps(plan: Plan) -> str:
    """Markdown: step by step, one section per MMC method, with its account name."""
    lines = [
        f"# acctrace validation run {plan.run_id}: the manual (MMC) methods",
        "",
        "Do these on the test host after running the script, as the same administrator.",
        "Each account must be created **disabled** and deleted again right away.",
        "",
    ]
    for planned in (p for p in plan.methods if p.mode == "manual"):
        method = plan.method(planned)
        lines += [f"## {method.title}: `{planned.account}`", ""]
        lines += [
            f"{i}. {step.replace('{account}', planned.account)}"
            for i, step in enumerate(method.steps, 1)
        ]
        lines.append("")
    lines += [
        "## Then collect the logs",
        "",
        "From an elevated prompt in this folder (and on the domain controllers for domain "
        "methods):",
        "",
        "```",
        "mkdir logs",
        *[c.replace("$env:COMPUTERNAME", "%COMPUTERNAME%") for c in collect_commands()],
        "```",
        "",
    ]
    return "\n".join(lines)
