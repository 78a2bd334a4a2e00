"""Questions about a process image or command line, answered from knowledge/account_tools.yaml."""

from __future__ import annotations

from functools import cache

from acctrace import knowledge
from acctrace.normalise.redact import encoded_scripts, redact_command_line


def basename(image: str | None) -> str:
    return image.replace("/", "\\").rsplit("\\", 1)[-1].lower() if image else ""


def creation_evidence(command_line: str | None) -> tuple[float, str | None]:
    """How strongly a command line shows account creation (0-1), and the pattern's id.

    An encoded PowerShell command is decoded and searched too.
    """
    if not command_line:
        return 0.0, None
    texts = [command_line]
    decoded = decoded_powershell(command_line)
    if decoded:
        texts.append(decoded)
    best: tuple[float, str | None] = (0.0, None)
    for entry, pattern in knowledge.compiled("account_tools", "creation_commands"):
        for i, text in enumerate(texts):
            if entry["weight"] > best[0] and pattern.search(text):
                best = (entry["weight"], entry["id"] + (" (in the decoded command)" if i else ""))
    return best


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
