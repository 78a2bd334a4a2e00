"""YAML files validated by pydantic models (the policy, the console's users): every problem
becomes one error naming the file and, for a schema problem, the field."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from acctrace.errors import AcctraceError

M = TypeVar("M", bound=BaseModel)


def first_problem(exc: ValidationError) -> str:
    """The first schema problem as `field.path: message`."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def load_model(path: Path, model: type[M], error: type[AcctraceError]) -> M:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(document)
    except OSError as exc:
        raise error(exc.strerror or str(exc), str(path)) from exc
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML: {exc}".splitlines()[0], str(path)) from exc
    except ValidationError as exc:
        raise error(first_problem(exc), str(path)) from exc
