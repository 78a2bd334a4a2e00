"""The creation methods a plan tests, typed from knowledge/validation_methods.yaml."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from acctrace import knowledge

Scope = Literal["local", "domain"]


class Method(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    code: str  # two letters that end the test account's name
    technique: Literal["T1136.001", "T1136.002"]
    scope: Scope
    mode: Literal["scripted", "manual"]
    readiness: Literal["net_user", "powershell", "mmc"]
    image: tuple[str, ...]
    lineage: tuple[tuple[str, ...], ...]
    command: str | None = None
    logged_command_line: str | None = None
    steps: tuple[str, ...] = ()


class Cleanup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    delete: str
    disable: str


@cache
def methods() -> tuple[Method, ...]:
    return tuple(Method(**m) for m in knowledge.load("validation_methods")["methods"])


@cache
def cleanup(scope: Scope) -> Cleanup:
    return Cleanup(**knowledge.load("validation_methods")["cleanup"][scope])


def by_id(method_id: str) -> Method:
    return next(m for m in methods() if m.id == method_id)
