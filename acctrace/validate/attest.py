"""The printable attestation: the validation report as one self-contained HTML page, and
the same document as JSON, kept together as audit evidence of the control's readiness.

As for the HTML report (report/html.py): Jinja2 autoescapes every logged value, and the
page's Content-Security-Policy lets nothing load and only its own style apply.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from acctrace.report.html import content_security_policy
from acctrace.validate.check import ValidationReport
from acctrace.validate.output import write_files

HTML_NAME = "attestation.html"
JSON_NAME = "attestation.json"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("acctrace.validate", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True, default_for_string=True),
        undefined=StrictUndefined,
    )


def page(report: ValidationReport) -> str:
    css = resources.files(__package__).joinpath("templates", "attestation.css").read_text("utf-8")
    # The page has no script: the hash of an empty script allows none to run.
    csp = content_security_policy(css, "")
    return _environment().get_template("attestation.html.j2").render(r=report, css=css, csp=csp)


def write_attestation(report: ValidationReport, directory: Path) -> list[Path]:
    files = {HTML_NAME: page(report), JSON_NAME: report.model_dump_json(indent=2) + "\n"}
    return write_files(directory, files)
