"""Who may use the console, and as whom: a secret token, or a users file with roles.

With the token (made at start, printed once), the person is the operating-system account
that started `acctrace serve`, as admin. With a users file, each person logs in with a name
and a password whose Argon2id hash (argon2-cffi) is in the file, and holds one role:
viewer (reads and exports), reviewer (also records reviews), admin (also changes policy).
The identity written to the ledger is always the one logged in, never a form field.
"""

from __future__ import annotations

import getpass
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field

from acctrace.errors import AcctraceError
from acctrace.yamlfile import load_model

Role = Literal["viewer", "reviewer", "admin"]
RANK: dict[str, int] = {"viewer": 0, "reviewer": 1, "admin": 2}
_HASHER = PasswordHasher()


class UsersError(AcctraceError):
    """The users file cannot be read or does not match its schema."""


class User(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    role: Role
    password_hash: str = Field(description="Argon2id hash, as `acctrace users add` writes it")


class UsersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    users: list[User] = Field(default_factory=list)


@dataclass(frozen=True)
class Identity:
    name: str
    role: str

    def may(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


class Gate:
    """Checks a login: the token, or a name and password from the users file."""

    def __init__(self, users: UsersFile | None = None, token: str | None = None):
        self.users = {u.name: u for u in users.users} if users else None
        self.token = None if users else (token or secrets.token_urlsafe(32))
        self.operator = getpass.getuser()

    def with_token(self, token: str) -> Identity | None:
        if self.token and hmac.compare_digest(token.encode(), self.token.encode()):
            return Identity(self.operator, "admin")
        return None

    def with_password(self, name: str, password: str) -> Identity | None:
        user = (self.users or {}).get(name)
        if user is None:
            _HASHER.hash(password)  # as slow as a real check: timing does not reveal names
            return None
        try:
            _HASHER.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return Identity(user.name, user.role)

    def still_valid(self, identity: Identity) -> bool:
        """A session stays valid while its user is in the file with the same role."""
        if self.users is None:
            return identity.name == self.operator
        user = self.users.get(identity.name)
        return user is not None and user.role == identity.role


def load_users(path: Path) -> UsersFile:
    return load_model(path, UsersFile, UsersError)


def add_user(path: Path, name: str, role: str, password: str) -> None:
    """Add or replace `name` in the users file (created when absent), storing only a hash."""
    users = load_users(path) if path.exists() else UsersFile()
    kept = [u for u in users.users if u.name != name]
    kept.append(User(name=name, role=role, password_hash=_HASHER.hash(password)))  # type: ignore[arg-type]
    document = {"users": [u.model_dump() for u in kept]}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
