"""The settings that produce each telemetry acctrace needs, worded as an administrator sets them."""

from __future__ import annotations

# key -> the exact setting that fixes the gap. Ordered by how much attribution each unlocks.
FIXES: dict[str, str] = {
    "account_management": (
        "Audit User Account Management: Success (Advanced Audit Policy > Account Management), "
        "and collect the Security log"
    ),
    "process_creation": (
        "Audit Process Creation: Success + Include command line in process creation events "
        "(or Sysmon Event ID 1)"
    ),
    "command_line": (
        "Include command line in process creation events (Administrative Templates > System > "
        "Audit Process Creation), or Sysmon Event ID 1"
    ),
    "parent_name": (
        "Sysmon Event ID 1 (ParentImage), or Windows 10 / Server 2016+ for 4688 ParentProcessName"
    ),
    "logon": "Audit Logon: Success (4624 with source network address)",
    "special_logon": "Audit Special Logon: Success (4672)",
    "script_block": (
        "PowerShell script block logging (Administrative Templates > Windows Components > "
        "Windows PowerShell > Turn on PowerShell Script Block Logging; event 4104)"
    ),
    "source_process": "Sysmon Event ID 1 and 3 on the hosts that remote sessions come from",
    "service_install": (
        "Collect the System log (7045, Service Control Manager) or Audit Security System "
        "Extension: Success (4697)"
    ),
    "sam_registry": (
        "Sysmon Event ID 12/13 with a rule for HKLM\\SAM\\SAM\\Domains\\Account\\Users\\Names"
    ),
    "group_management": "Audit Security Group Management: Success (4728/4732/4756)",
    "log_retention": (
        "A Security log large enough to hold the days you need (or forwarded off the host), "
        "and an alert on its clearing (1102)"
    ),
}

# Advanced audit policy subcategories by GUID (as logged in 4719 SubcategoryGuid).
SUBCATEGORIES: dict[str, str] = {
    f"0CCE92{code}-69AE-11D9-BED3-505054503030": name
    for code, name in {
        "10": "Security State Change",
        "11": "Security System Extension",
        "12": "System Integrity",
        "13": "IPsec Driver",
        "14": "Other System Events",
        "15": "Logon",
        "16": "Logoff",
        "17": "Account Lockout",
        "18": "IPsec Main Mode",
        "19": "IPsec Quick Mode",
        "1A": "IPsec Extended Mode",
        "1B": "Special Logon",
        "1C": "Other Logon/Logoff Events",
        "1D": "File System",
        "1E": "Registry",
        "1F": "Kernel Object",
        "20": "SAM",
        "21": "Certification Services",
        "22": "Application Generated",
        "23": "Handle Manipulation",
        "24": "File Share",
        "25": "Filtering Platform Packet Drop",
        "26": "Filtering Platform Connection",
        "27": "Other Object Access Events",
        "28": "Sensitive Privilege Use",
        "29": "Non Sensitive Privilege Use",
        "2A": "Other Privilege Use Events",
        "2B": "Process Creation",
        "2C": "Process Termination",
        "2D": "DPAPI Activity",
        "2E": "RPC Events",
        "2F": "Audit Policy Change",
        "30": "Authentication Policy Change",
        "31": "Authorization Policy Change",
        "32": "MPSSVC Rule-Level Policy Change",
        "33": "Filtering Platform Policy Change",
        "34": "Other Policy Change Events",
        "35": "User Account Management",
        "36": "Computer Account Management",
        "37": "Security Group Management",
        "38": "Distribution Group Management",
        "39": "Application Group Management",
        "3A": "Other Account Management Events",
        "3B": "Directory Service Access",
        "3C": "Directory Service Changes",
        "3D": "Directory Service Replication",
        "3E": "Detailed Directory Service Replication",
        "3F": "Credential Validation",
        "40": "Kerberos Service Ticket Operations",
        "41": "Other Account Logon Events",
        "42": "Kerberos Authentication Service",
        "43": "Network Policy Server",
        "44": "Detailed File Share",
        "45": "Removable Storage",
        "46": "Central Policy Staging",
        "47": "User / Device Claims",
        "48": "PNP Activity",
        "49": "Group Membership",
    }.items()
}

# 4719 AuditPolicyChanges codes.
POLICY_CHANGES = {
    "%%8448": "success removed",
    "%%8449": "success added",
    "%%8450": "failure removed",
    "%%8451": "failure added",
}

# Subcategories whose loss blinds AN1604: a change to them is worth a reader's attention.
CRITICAL_SUBCATEGORIES = {"User Account Management", "Process Creation", "Logon", "Special Logon"}
