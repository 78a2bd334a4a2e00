"""Writing the files `validate` produces: exact bytes (CRLF where Windows wants it), UTF-8."""

from __future__ import annotations

from pathlib import Path


def write_files(directory: Path, files: dict[str, str]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = directory / name
        path.write_text(content, encoding="utf-8", newline="")
        written.append(path)
    return written
