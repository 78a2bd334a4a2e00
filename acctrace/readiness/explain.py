"""`acctrace explain`: the analytic, its tunables and how acctrace implements each, from the
bundled ATT&CK excerpt (knowledge/attack_an1604.yaml). Nothing is fetched."""

from __future__ import annotations

import textwrap
from functools import cache
from importlib import resources
from typing import Any, TextIO

import yaml

_WIDTH = 92


@cache
def excerpt() -> dict[str, Any]:
    path = resources.files("acctrace.knowledge").joinpath("attack_an1604.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _para(text: str, out: TextIO, indent: str = "  ") -> None:
    out.write(
        textwrap.fill(
            " ".join(text.split()), _WIDTH, initial_indent=indent, subsequent_indent=indent
        )
        + "\n"
    )


def render(out: TextIO) -> None:
    data = excerpt()
    t, s, a = data["technique"], data["strategy"], data["analytic"]
    out.write(f"{a['id']} ({a['platform']}), MITRE ATT&CK v{data['attack_version']}\n")
    out.write(
        f"  technique {t['id']} {t['name']} ({t['tactic']}); strategy {s['id']}: {s['name']}\n"
    )
    out.write(f"  {a['url']}\n\n")
    _para(a["description"], out)
    out.write("\nLog sources\n")
    for src in a["log_sources"]:
        out.write(f"  {src['data_component']}: {src['name']} {src['channel']}\n")
        _para(f"acctrace reads: {src['acctrace']}", out, "      ")
    out.write("\nTunable elements, and how acctrace implements each\n")
    for i, m in enumerate(a["mutable_elements"], 1):
        out.write(f"  {i}. {m['field']}\n")
        _para(f"ATT&CK: {m['description']}", out, "     ")
        _para(f"acctrace: {m['acctrace']}", out, "     ")
        _para(f"set it with: {m['where']}", out, "     ")
    out.write("\nSibling analytics\n")
    for sib in data["siblings"]:
        where = ", ".join(x for x in (sib["platform"], sib["strategy"], sib["technique"]) if x)
        out.write(f"  {sib['id']} ({where or 'details not bundled'})\n")
        _para(
            sib["description"] or "Text not bundled; see https://attack.mitre.org/analytics/",
            out,
            "      ",
        )
    out.write(f"\n{' '.join(data['licence'].split())}\n")
