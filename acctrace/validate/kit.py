"""`fix-kit`: every setting AN1604 needs, as files an administrator deploys.

- a startup script for a GPO (auditpol by GUID, registry values), also runnable by hand;
- audit.csv, the Advanced Audit Policy file a GPO carries
  (Machine\\Microsoft\\Windows NT\\Audit\\audit.csv in the GPO's folder);
- a Sysmon configuration with the rule groups acctrace needs.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from acctrace import __version__
from acctrace.validate.fixes import (
    COMMAND_LINE,
    SCRIPT_BLOCK,
    SUBCATEGORY_EVENTS,
    SYSMON_CONFIG,
    auditpol,
    guid_of,
    sysmon_config,
)
from acctrace.validate.output import write_files

SCRIPT_NAME = "acctrace-audit-settings.ps1"
AUDIT_CSV = "audit.csv"
# Without it, a legacy category policy can silently override the subcategories set here.
FORCE_SUBCATEGORIES = (
    r'reg add "HKLM\System\CurrentControlSet\Control\Lsa" /v SCENoApplyLegacyAuditPolicy'
    " /t REG_DWORD /d 1 /f"
)


def settings_script() -> str:
    lines = [
        f"# acctrace {__version__} fix-kit: the audit settings AN1604 needs (docs/validate.md).",
        "# Deploy as a computer startup script in a GPO, or run once from an elevated prompt.",
        "# Audit subcategories are set by GUID: the names are localised, the GUIDs are not.",
        "$ErrorActionPreference = 'Stop'",
        "",
        "# Advanced audit policy overrides the legacy categories",
        FORCE_SUBCATEGORIES,
        "",
    ]
    for name, events in SUBCATEGORY_EVENTS.items():
        lines += [f"# {name}: {events}", auditpol(name)]
    lines += [
        "",
        "# Command lines in 4688",
        COMMAND_LINE,
        "",
        "# PowerShell script block logging (4104)",
        SCRIPT_BLOCK,
        "",
        "# A Security log that holds weeks, not hours (1 GiB); forward it where you can",
        "wevtutil sl Security /ms:1073741824",
        "",
        "auditpol /get /category:*",
    ]
    return "\r\n".join(lines) + "\r\n"


def audit_csv() -> str:
    """The Advanced Audit Policy CSV a GPO applies (setting value 3: success and failure)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Machine Name",
            "Policy Target",
            "Subcategory",
            "Subcategory GUID",
            "Inclusion Setting",
            "Exclusion Setting",
            "Setting Value",
        ]
    )
    for name in SUBCATEGORY_EVENTS:
        writer.writerow(
            ["", "System", f"Audit {name}", f"{{{guid_of(name)}}}", "Success and Failure", "", "3"]
        )
    return out.getvalue()


def write_kit(directory: Path) -> list[Path]:
    files = {
        SCRIPT_NAME: settings_script(),
        AUDIT_CSV: audit_csv(),
        SYSMON_CONFIG: sysmon_config(),
    }
    return write_files(directory, files)
