"""JSON API: POST a file to import it (multipart), list the kinds."""

from __future__ import annotations

from typing import Literal

from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS

from .kinds import KINDS, kind_choices
from .services import import_run, upload_read

router = Router(tags=["imports"])

# The registered kinds, listed in the schema. The apps declare them (core.registry); this module is imported with
# the API (civicloop.api), after the apps are ready, so the list is complete here.
KindName = Literal[tuple(KINDS)]


class ImportResultOut(Schema):
    kind: str
    filename: str
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    notices: list[str]
    seconds: float


class KindOut(Schema):
    kind: str
    label: str


@router.get("/kinds", response={200: list[KindOut], **READ_ERRORS})
def kinds(request):
    return [{"kind": value, "label": str(label)} for value, label in kind_choices()]


@router.post("/run", response={200: ImportResultOut, **WRITE_ERRORS})
def run(request, kind: Form[KindName], file: File[UploadedFile], dry_run: Form[bool] = False):
    """Import one .xlsx/.csv file; every bad row comes back in `details` (where, field, reason) and nothing is written."""
    return import_run(actor=request.user, kind=kind, file_path_or_bytes=upload_read(file), filename=file.name or "", dry_run=dry_run)
