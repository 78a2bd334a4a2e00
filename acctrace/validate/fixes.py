"""The exact settings behind each telemetry gap: auditpol by subcategory GUID, registry
values, Sysmon configuration lines. The wording of each setting is readiness/settings.py's
(the same words `acctrace coverage` uses); this module adds what to type or deploy."""

from __future__ import annotations

from functools import cache
from importlib import resources
from xml.etree import ElementTree

from pydantic import BaseModel, ConfigDict

from acctrace.readiness.settings import FIXES, SUBCATEGORIES

_GUIDS = {name: guid for guid, name in SUBCATEGORIES.items()}
AUDIT_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Policies\System\Audit"
SCRIPT_BLOCK_KEY = r"HKLM\Software\Policies\Microsoft\Windows\PowerShell\ScriptBlockLogging"
# The subcategories AN1604 needs, with the events each one produces.
SUBCATEGORY_EVENTS = {
    "User Account Management": "4720 created, 4722 enabled, 4724 reset, 4726 deleted, 4738 changed",
    "Security Group Management": "4728/4732/4756 member added, 4729/4733/4757 removed",
    "Process Creation": "4688 process created",
    "Logon": "4624 logon (the creator's session and where it came from)",
    "Special Logon": "4672 special privileges (was the creator an administrator)",
}

SYSMON_CONFIG = "sysmon-acctrace.xml"


@cache
def sysmon_config() -> str:
    return resources.files(__package__).joinpath("templates", SYSMON_CONFIG).read_text("utf-8")


@cache
def sysmon_rules(name: str) -> str:
    """One RuleGroup of the bundled configuration, as lines to paste into <EventFiltering>."""
    root = ElementTree.fromstring(sysmon_config())
    group = next(g for g in root.iter("RuleGroup") if g.get("name") == name)
    ElementTree.indent(group)
    return ElementTree.tostring(group, encoding="unicode").strip()


class FixAdvice(BaseModel):
    """One gap's fix: the setting in words and what to run or deploy."""

    model_config = ConfigDict(extra="forbid")

    key: str
    setting: str
    commands: list[str]
    sysmon: str | None = None


def guid_of(subcategory: str) -> str:
    return _GUIDS[subcategory]


def auditpol(subcategory: str) -> str:
    """auditpol by GUID: names are localised on non-English Windows, GUIDs are not."""
    return (
        f'auditpol /set "/subcategory:{{{guid_of(subcategory)}}}" /success:enable /failure:enable'
    )


COMMAND_LINE = (
    f'reg add "{AUDIT_KEY}" /v ProcessCreationIncludeCmdLine_Enabled /t REG_DWORD /d 1 /f'
)
SCRIPT_BLOCK = f'reg add "{SCRIPT_BLOCK_KEY}" /v EnableScriptBlockLogging /t REG_DWORD /d 1 /f'

# gap -> (commands, names of the Sysmon RuleGroups that also close it)
_COMMANDS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "account_management": ([auditpol("User Account Management")], ()),
    "group_management": ([auditpol("Security Group Management")], ()),
    "process_creation": (
        [auditpol("Process Creation"), COMMAND_LINE],
        ("acctrace-process", "acctrace-process-end"),
    ),
    "command_line": ([COMMAND_LINE], ("acctrace-process", "acctrace-process-end")),
    "parent_name": ([], ("acctrace-process", "acctrace-process-end")),
    "logon": ([auditpol("Logon")], ()),
    "special_logon": ([auditpol("Special Logon")], ()),
    "script_block": ([SCRIPT_BLOCK], ()),
    "source_process": ([], ("acctrace-process", "acctrace-process-end", "acctrace-network")),
    "sam_registry": ([], ("acctrace-sam",)),
    "log_retention": (
        ["wevtutil sl Security /ms:1073741824"],
        (),
    ),
}


def advice(key: str) -> FixAdvice:
    commands, groups = _COMMANDS[key]
    sysmon = "\n".join(sysmon_rules(g) for g in groups) or None
    return FixAdvice(key=key, setting=FIXES[key], commands=list(commands), sysmon=sysmon)


def all_keys() -> list[str]:
    """Every fix, in readiness's order of how much attribution each unlocks."""
    return [k for k in FIXES if k in _COMMANDS]
