"""Docs as tests: the README's commands are the ones CI runs, and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.testing import CliRunner

from acctrace.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    return re.findall(r"```\n(python3 -m venv .*)\n```", README)


def test_readme_starts_with_the_two_commands() -> None:
    run_it, test_it = readme_commands()
    assert run_it.endswith(".venv/bin/acctrace demo")
    assert test_it.endswith(".venv/bin/pytest")
    assert README.index(run_it) < 300
    # the first is the lean one: the tool alone, no extra; the tests need theirs
    assert "pip install -q -e . " in run_it and "[" not in run_it
    assert "'.[test]'" in test_it


def test_readme_names_every_system_package_ci_installs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    packages = {
        name
        for line in re.findall(r"apt-get install -y -qq ([^)]+)\)", ci)
        for name in line.split()
    }
    assert {"chromium", "chromium-driver", "openjdk-17-jre-headless"} <= packages
    assert sorted(p for p in packages if f"`{p}`" not in README) == []


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_every_command_is_in_the_readme_with_help() -> None:
    context = click.Context(cli)
    names = cli.list_commands(context)  # the lazy group lists commands it has not imported yet
    assert {"hunt", "report", "coverage"} <= set(names)
    for name in names:
        assert f"acctrace {name}" in README, name
        command = cli.get_command(context, name)
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and command is not None and command.help, name
