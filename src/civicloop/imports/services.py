"""import_run: read → check every row → (all good) write everything in one transaction, or nothing at all.

Checking happens outside the write transaction on purpose: reading and checking 180,000 rows takes seconds,
and SQLite would hold its write lock the whole time. The write itself is one `transaction.atomic` block;
unique constraints catch anything created between the check and the write.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.core.constants import AuditAction
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.services import audit_write
from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from . import MAX_REPORTED_ERRORS
from .error_codes import ImportErrorCode
from .kinds import KINDS
from .reader import read_rows
from .spec import Entry, KindSpec, Plan, RowProblem


@dataclass
class ImportResult:
    kind: str
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # good rows a kind chose not to write (`KindSpec.resolve` answered None), said in `notices`
    notices: list[str] = field(default_factory=list)  # what the kind reports beside the counts (`ctx.notices`)
    seconds: float = 0.0


@dataclass
class RowError:
    row: int
    column: Any  # the column's header (translatable) or ""
    reason: Any

    def as_detail(self) -> dict[str, str]:
        return {"where": _gettext("第%(row)s行") % {"row": self.row}, "field": str(self.column), "reason": str(self.reason)}


def _no_progress(items, *, label="", total=None, min_total=0):
    return items


@dataclass
class ImportContext:
    actor: Any
    scope: Any
    district: Place
    spec: KindSpec
    progress: Any = _no_progress
    cache: dict[str, Any] = field(default_factory=dict)  # lookups loaded by the kind
    seen: dict[str, Entry] = field(default_factory=dict)  # natural key → entry of an earlier valid row
    skipped: int = 0  # rows `resolve` answered None for (checked, not written)
    notices: list[str] = field(default_factory=list)  # the kind's report beside the counts (e.g. unmapped names)


def import_district_for(actor, *, district_code: str | None = None) -> Place:
    """The district an actor imports into: a district admin's own; a superuser names one (or there is one)."""
    scope = scope_for(actor)
    if not scope.has_role(Role.DISTRICT_ADMIN):
        raise CivicError(ErrorCode.FORBIDDEN, _("只有区管理员可以导入数据。"))
    if scope.district_id is not None:
        if not (scope.is_superuser or scope.is_district_level):
            raise CivicError(ErrorCode.FORBIDDEN, _("只有区管理员可以导入数据。"))
        if district_code and district_code != Place.objects.get(pk=scope.district_id).code:
            raise CivicError(ErrorCode.FORBIDDEN, _("只能导入本区的数据。"))
        return Place.objects.get(pk=scope.district_id)
    districts = Place.objects.filter(level=PlaceLevel.DISTRICT)
    if district_code:
        districts = districts.filter(code=district_code)
    found = list(districts[:2])
    if len(found) != 1:
        raise CivicError(ErrorCode.INVALID, _("请指定要导入的区（区编码）。"))
    return found[0]


def upload_read(upload) -> bytes:
    """The bytes of an uploaded file (the page's and the API's), refused over the one upload limit
    (settings.CIVICLOOP_MAX_UPLOAD_BYTES) before any of it is read."""
    limit = settings.CIVICLOOP_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise CivicError(ImportErrorCode.IMPORT_FILE_TOO_LARGE, mb=round(limit / 1024 / 1024, 1))
    return upload.read()


def import_run(
    *,
    actor,
    kind: str,
    file_path_or_bytes: str | bytes,
    filename: str = "",
    dry_run: bool = False,
    district_code: str | None = None,
    progress=None,
) -> ImportResult:
    """Import one file of `kind`. Raises CivicError(IMPORT_ROWS_INVALID, details=[…]) and writes nothing when
    any row is bad; otherwise writes (unless `dry_run`) and returns the counts. A run that passed its checks,
    dry or not, writes an audit row (who, kind, file name, counts) in the same transaction as its rows."""
    started = time.monotonic()
    if kind not in KINDS:
        raise CivicError(ImportErrorCode.IMPORT_UNKNOWN_KIND)
    district = import_district_for(actor, district_code=district_code)
    if isinstance(file_path_or_bytes, bytes):
        data = file_path_or_bytes
    else:
        filename = filename or str(file_path_or_bytes)
        with open(file_path_or_bytes, "rb") as fh:
            data = fh.read()
    spec = KINDS[kind]
    ctx = ImportContext(actor=actor, scope=scope_for(actor), district=district, spec=spec, progress=progress or _no_progress)
    rows = read_rows(data, filename)
    columns = _match_header(spec, rows[0][1])
    plan, errors = _check(ctx, columns, rows[1:])
    if errors:
        details = [e.as_detail() for e in errors[:MAX_REPORTED_ERRORS]]
        if len(errors) > MAX_REPORTED_ERRORS:
            details.append({"where": "…", "field": "", "reason": _gettext("另有 %(n)s 处错误未列出。") % {"n": len(errors) - MAX_REPORTED_ERRORS}})
        raise CivicError(ImportErrorCode.IMPORT_ROWS_INVALID, details=details)
    result = ImportResult(kind=kind, filename=filename, dry_run=dry_run, rows=len(rows) - 1,
                          created=len(plan.create), updated=len(plan.update), unchanged=plan.unchanged,
                          skipped=ctx.skipped, notices=[str(n) for n in ctx.notices])
    with transaction.atomic():  # the rows and their audit row commit together
        if not dry_run and (plan.create or plan.update):
            _write(ctx, plan)
        audit_write(action=AuditAction.IMPORT, user=actor, district_id=district.pk, object_type="imports.kind",
                    object_id=kind, details={"kind": kind, "filename": filename, "dry_run": dry_run, "rows": result.rows,
                                             "created": result.created, "updated": result.updated,
                                             "unchanged": result.unchanged, "skipped": result.skipped})
    result.seconds = round(time.monotonic() - started, 2)
    return result


@transaction.atomic
def _write(ctx: ImportContext, plan: Plan) -> None:
    try:
        with transaction.atomic():
            ctx.spec.write(ctx, plan)
    except IntegrityError as exc:
        raise CivicError(ErrorCode.CONFLICT, _("写入时与已有数据冲突（可能有人同时导入），未写入任何数据：%(reason)s"), reason=str(exc)) from exc


def _match_header(spec: KindSpec, header: list[str]) -> list[tuple[int, Any]]:
    """[(cell index, Column)] for each header cell; refuses unknown and missing required columns."""
    matched, problems = [], []
    for index, title in enumerate(header):
        if not title:
            continue
        column = next((c for c in spec.columns if c.accepts(title)), None)
        if column is None:
            problems.append({"where": _gettext("表头"), "field": title, "reason": _gettext("未知的列。")})
        elif any(c is column for _i, c in matched):
            problems.append({"where": _gettext("表头"), "field": title, "reason": _gettext("列重复。")})
        else:
            matched.append((index, column))
    present = {c.key for _i, c in matched}
    for column in spec.columns:
        if column.required and column.key not in present:
            problems.append({"where": _gettext("表头"), "field": str(column.header), "reason": _gettext("缺少必填列。")})
    if problems:
        raise CivicError(ImportErrorCode.IMPORT_BAD_HEADER, details=problems)
    return matched


def _check(ctx: ImportContext, columns, rows) -> tuple[Plan, list[RowError]]:
    spec, errors, entries = ctx.spec, [], []
    spec.load(ctx)
    first_row_of: dict[str, int] = {}
    key_column = spec.column(spec.natural_key)
    for number, cells in ctx.progress(rows, label=_("校验"), total=len(rows)):
        data, row_errors = {}, []
        for index, column in columns:
            raw = cells[index] if index < len(cells) else ""
            if raw == "":
                if column.required:
                    row_errors.append(RowError(number, column.header, _("必填项为空。")))
                data[column.key] = None
                continue
            try:
                data[column.key] = column.parse(raw)
            except ValueError as exc:
                row_errors.append(RowError(number, column.header, exc.args[0] if exc.args else exc))
        key = spec.row_key(data)
        if key is not None:
            if key in first_row_of:
                row_errors.append(RowError(number, key_column.header, _("与第%(row)s行重复。") % {"row": first_row_of[key]}))
            else:
                first_row_of[key] = number
        if not row_errors:
            try:
                entry = spec.resolve(ctx, number, data)
                if entry is None:  # a good row the kind does not write (it says why in ctx.notices)
                    ctx.skipped += 1
                else:
                    ctx.seen[key] = entry
                    entries.append(entry)
            except RowProblem as problem:
                row_errors.append(RowError(number, spec.column(problem.column).header, problem.reason))
        errors += row_errors
    taken = spec.taken_elsewhere(ctx, list(first_row_of))
    errors += [RowError(first_row_of[key], key_column.header, spec.taken_reason) for key in taken]
    errors.sort(key=lambda e: e.row)
    plan = Plan()
    if errors:
        return plan, errors
    existing = spec.existing(ctx)
    matched_ids = [existing[e.key]["id"] for e in entries if e.key in existing]
    old_m2m = spec.existing_m2m(ctx, matched_ids) if spec.m2m_fields else {}
    for entry in entries:
        old = existing.get(entry.key)
        if old is None:
            plan.create.append(entry)
            continue
        spec.diff(entry, old, old_m2m.get(old["id"], {}))
        if entry.changed or entry.m2m_changed:
            plan.update.append(entry)
        else:
            plan.unchanged += 1
    return plan, errors
