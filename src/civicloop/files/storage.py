"""Where the bytes live: `<CIVICLOOP_FILES_DIR or VAR_DIR/files>/<2 characters>/<random name>`, no suffix, outside
the static files and any URL; only `views.serve` reads them back, after the owner's rule."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings


def files_root() -> Path:
    return Path(getattr(settings, "CIVICLOOP_FILES_DIR", None) or Path(settings.VAR_DIR) / "files")


def new_storage_name() -> str:
    return secrets.token_hex(20)


def path_of(storage_name: str) -> Path:
    return files_root() / storage_name[:2] / storage_name


def write(storage_name: str, data: bytes) -> Path:
    """Write a new file (never over an existing one: `x` mode), readable by the server's user only."""
    path = path_of(storage_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def remove(storage_name: str) -> None:
    path_of(storage_name).unlink(missing_ok=True)
