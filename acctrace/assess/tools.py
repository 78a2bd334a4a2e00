"""Questions about a process image or command line, answered from knowledge/account_tools.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from acctrace import knowledge
from acctrace.normalise.redact import encoded_scripts, redact_command_line


def basename(image: str | None) -> str:
    return image.replace("/", "\\").rsplit("\\", 1)[-1].lower() if image else ""


@dataclass(frozen=True)
class CommandEvidence:
    """What a command line shows about account creation."""

    weight: float  # 0-1: how strongly it shows that this process created an account
    pattern: str | None  # the knowledge entry's id, noting when found in the decoded command
    text: str | None  # the text it was found in (the command line, or the decoded script)
    names_account: bool  # the matching command carries the new account's name
    method: str | None = None  # how it creates accounts (net, powershell, dsadd...)


NO_EVIDENCE = CommandEvidence(0.0, None, None, False)


def creation_evidence(command_line: str | None) -> CommandEvidence:
    """The strongest account-creation command in a command line. An encoded PowerShell
    command is decoded and searched too."""
    if not command_line:
        return NO_EVIDENCE
    texts = [command_line]
    decoded = decoded_powershell(command_line)
    if decoded:
        texts.append(decoded)
    best = NO_EVIDENCE
    for entry, pattern in knowledge.compiled("account_tools", "creation_commands"):
        for i, text in enumerate(texts):
            if entry["weight"] > best.weight and pattern.search(text):
                best = CommandEvidence(
                    entry["weight"],
                    entry["id"] + (" (in the decoded command)" if i else ""),
                    text,
                    bool(entry.get("names_account")),
                    entry.get("method"),
                )
    return best


def names(text: str, account_name: str) -> bool:
    """The text carries the account name as a whole word (Windows names ignore case)."""
    if not account_name:
        return False
    pattern = rf"(?<![\w$]){re.escape(account_name)}(?![\w$])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def decoded_powershell(command_line: str) -> str | None:
    """The script of `powershell -EncodedCommand <base64 of UTF-16LE>`, when there is one."""
    scripts = encoded_scripts(command_line)
    return scripts[-1][1] if scripts else None


def decoded_command(command_line: str | None) -> str | None:
    """The script behind `-EncodedCommand`, decoded and with its secrets redacted: the
    reader redacted only what was visible, and base64 hid the rest."""
    decoded = decoded_powershell(command_line) if command_line else None
    return redact_command_line(decoded) if decoded else None


@cache
def _images(key: str) -> dict[str, dict]:
    return {e["image"].lower(): e for e in knowledge.load("account_tools")[key]}


def is_standard_tool(image: str | None) -> bool:
    return basename(image) in _images("standard_tools")


def tool_method(image: str | None) -> str | None:
    """How a standard tool creates accounts (net.exe and net1.exe: `net`), or None."""
    entry = _images("standard_tools").get(basename(image))
    return entry["method"] if entry else None


@cache
def _helpers(key: str) -> dict[str, str]:
    return {e["image"].lower(): e["why"] for e in knowledge.load("helper_processes")[key]}


def helper_reason(image: str | None) -> str | None:
    """Why a process cannot have created an account (a console host, a log reader...), or
    None. A helper's name outside the Windows folders may be a renamed binary: not excused."""
    if not image or not _in_system_folder(image):
        return None
    return _helpers("helpers").get(basename(image))


def is_script_host(image: str | None) -> bool:
    """Runs code it was given and can create an account inside its own process."""
    return basename(image) in _helpers("script_hosts")


def is_unknown_binary(image: str | None) -> bool:
    """Runs from outside the Windows and Program Files folders."""
    return bool(image) and not _in_system_folder(image)


def unusual_tool_reason(image: str | None) -> str | None:
    """Why an image is unusual for creating accounts, or None when it is not."""
    entry = _images("unusual_tools").get(basename(image))
    if entry:
        return entry["why"]
    if image and not _in_system_folder(image):
        return "runs from outside the Windows and Program Files folders"
    return None


def _in_system_folder(image: str) -> bool:
    path = image.lower().replace("/", "\\")
    if "\\" not in path:
        return True  # a bare name says nothing about the folder
    return path.startswith(tuple(knowledge.load("account_tools")["system_folders"]))


def encoded_command(command_line: str | None) -> str | None:
    if not command_line:
        return None
    for entry, pattern in knowledge.compiled("account_tools", "encoded_commands"):
        if pattern.search(command_line):
            return entry["id"]
    return None
