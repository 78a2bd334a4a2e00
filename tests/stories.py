"""Small event stories built in memory (no file format), for tests of the analytic."""

from __future__ import annotations

from acctrace.correlate.analytic import Window
from acctrace.findings import HuntResult
from acctrace.normalise.shapes import RawEvent
from acctrace.normalise.store import EventStore
from acctrace.pipeline import HuntOptions, assess_store

SECURITY = "Microsoft-Windows-Security-Auditing"
SYSMON = "Microsoft-Windows-Sysmon"
POWERSHELL = "Microsoft-Windows-PowerShell"
CHANNELS = {
    SECURITY: "Security",
    SYSMON: "Microsoft-Windows-Sysmon/Operational",
    POWERSHELL: "Microsoft-Windows-PowerShell/Operational",
}
T0 = 1_700_000_000_000_000  # microseconds; the account is created at T0 in every story
HOST = "WS01.corp.local"
CREATOR = {
    "SubjectUserSid": "S-1-5-21-9-9-9-1104",
    "SubjectUserName": "alice",
    "SubjectDomainName": "CORP",
    "SubjectLogonId": "0x5a5a",
}


class Story:
    def __init__(self) -> None:
        self.events: list[RawEvent] = []

    def add(
        self,
        event_id: int,
        ms: float,
        data: dict,
        provider: str = SECURITY,
        host: str = HOST,
        process_id: int | None = None,
    ) -> Story:
        channel = CHANNELS[provider]
        record_id = len(self.events) + 1
        time_us = T0 + int(ms * 1000)
        self.events.append(
            RawEvent(event_id, channel, host, time_us, record_id, provider, data, process_id)
        )
        return self

    def script_block(
        self, pid: int, ms: float, text: str, number: int = 1, total: int = 1, block: str = "B-1"
    ) -> Story:
        """4104: part `number` of `total` of a script block PowerShell process `pid` ran."""
        data = {
            "MessageNumber": str(number),
            "MessageTotal": str(total),
            "ScriptBlockText": text,
            "ScriptBlockId": "{" + block + "}",
        }
        return self.add(4104, ms, data, provider=POWERSHELL, process_id=pid)

    def creation(self, name: str = "backdoor", ms: float = 0, **subject: str) -> Story:
        return self.add(
            4720,
            ms,
            {
                "TargetUserName": name,
                "TargetDomainName": "WS01",
                "TargetSid": "S-1-5-21-1-2-3-1001",
                "NewUacValue": "0x15",
                **CREATOR,
                **subject,
            },
        )

    def process_4688(
        self,
        pid: int,
        ppid: int,
        image: str,
        command_line: str | None,
        ms: float,
        logon: str = "0x5a5a",
        parent_name: str | None = None,
    ) -> Story:
        data = {
            **CREATOR,
            "SubjectLogonId": logon,
            "NewProcessId": hex(pid),
            "ProcessId": hex(ppid),
            "NewProcessName": image,
            "TargetLogonId": "0x0",
        }
        if command_line is not None:
            data["CommandLine"] = command_line
        if parent_name:
            data["ParentProcessName"] = parent_name
        return self.add(4688, ms, data)

    def process_end_4689(self, pid: int, ms: float) -> Story:
        return self.add(4689, ms, {"ProcessId": hex(pid), "SubjectLogonId": "0x5a5a"})

    def sysmon_1(
        self,
        guid: str,
        parent_guid: str,
        pid: int,
        image: str,
        command_line: str,
        ms: float,
        logon: str = "0x5a5a",
    ) -> Story:
        return self.add(
            1,
            ms,
            {
                "ProcessGuid": "{" + guid + "}",
                "ParentProcessGuid": "{" + parent_guid + "}",
                "ProcessId": str(pid),
                "ParentProcessId": "1",
                "Image": image,
                "CommandLine": command_line,
                "LogonId": logon,
                "User": "CORP\\alice",
            },
            provider=SYSMON,
        )

    def hunt(self, options: HuntOptions | None = None) -> HuntResult:
        store = EventStore()
        for event in self.events:
            store.add(event, "story", "0" * 64)
        return assess_store(store, options or HuntOptions(window=Window()))


def sam_write(
    story: Story, ms: float, key: str, action: str = "SetValue", details: str = "Binary Data"
) -> Story:
    """Sysmon 13/12: lsass.exe writing under HKLM\\SAM (or another registry key)."""
    event_id = 12 if action in ("CreateKey", "DeleteKey") else 13
    return story.add(
        event_id,
        ms,
        {
            "EventType": action,
            "TargetObject": key,
            "Details": details,
            "Image": "C:\\Windows\\system32\\lsass.exe",
            "ProcessId": "648",
        },
        provider=SYSMON,
    )


SAM_NAMES = "HKLM\\SAM\\SAM\\Domains\\Account\\Users\\Names\\"
ADMINISTRATORS_ALIAS = "HKLM\\SAM\\SAM\\Domains\\Builtin\\Aliases\\00000220\\C"
USER_LIST = (
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\SpecialAccounts\\UserList\\"
)
