"""The user's host inventory (`--hosts FILE`): names, addresses and roles, as CSV or YAML.

CSV columns `name,ips,role` (ips separated by spaces or semicolons); YAML a list of
`{name, ips, role}`. Names may be short or fully qualified, in any case.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from acctrace.errors import AcctraceError
from acctrace.normalise.fields import host_key

ROLES = ("domain_controller", "identity_management", "server", "workstation")


class InventoryError(AcctraceError):
    """The host inventory cannot be read."""


@dataclass
class Inventory:
    addresses: dict[str, str] = field(default_factory=dict)  # ip -> host name
    roles: dict[str, str] = field(default_factory=dict)  # host key -> role


def load_inventory(path: Path) -> Inventory:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InventoryError(exc.strerror or str(exc), str(path)) from exc
    try:
        entries = _yaml(text) if path.suffix.lower() in (".yaml", ".yml") else _csv(text)
    except (yaml.YAMLError, csv.Error, ValueError) as exc:
        raise InventoryError(str(exc).splitlines()[0], str(path)) from exc
    inventory = Inventory()
    for number, entry in enumerate(entries, start=1):
        name = str(entry.get("name") or "").strip()
        if not name:
            raise InventoryError(f"entry {number} has no name", str(path))
        role = (entry.get("role") or "").strip().lower() or None
        if role and role not in ROLES:
            raise InventoryError(
                f"entry {number} ({name}): role {role!r} is not one of {ROLES}", str(path)
            )
        ips = entry.get("ips") or []
        for ip in re.split(r"[\s;,]+", ips) if isinstance(ips, str) else ips:
            if ip:
                inventory.addresses[str(ip)] = name
        if role:
            inventory.roles[host_key(name)] = role
    return inventory


def _yaml(text: str) -> list[dict]:
    data = yaml.safe_load(text) or []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise ValueError("expected a list of {name, ips, role}")
    return data


def _csv(text: str) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and "name" not in rows[0]:
        raise ValueError("the first line must name the columns: name,ips,role")
    return rows
