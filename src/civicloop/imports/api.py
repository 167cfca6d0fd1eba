"""JSON API: POST a file to import it (multipart), list the kinds."""

from __future__ import annotations

from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from civicloop.core.api import ErrorOut

from .kinds import kind_choices
from .services import import_run

router = Router(tags=["imports"])


class ImportResultOut(Schema):
    kind: str
    filename: str
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    seconds: float


class KindOut(Schema):
    kind: str
    label: str


@router.get("/kinds", response=list[KindOut])
def kinds(request):
    return [{"kind": value, "label": str(label)} for value, label in kind_choices()]


@router.post("/run", response={200: ImportResultOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def run(request, kind: Form[str], file: File[UploadedFile], dry_run: Form[bool] = False):
    """Import one .xlsx/.csv file; every bad row comes back in `details` (where, field, reason) and nothing is written."""
    return import_run(actor=request.user, kind=kind, file_path_or_bytes=file.read(), filename=file.name or "", dry_run=dry_run)
