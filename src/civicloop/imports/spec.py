"""The import framework: columns, cell parsers, and the base class every kind builds on.

A kind (`kinds/*.py`) declares its columns and three steps:

    load(ctx)               read what the rows will be checked against (codes in the district) in a few queries
    resolve(ctx, row)       turn one parsed row into an `Entry` (model field values + many-to-many sets),
                            or report (column, reason) problems: unknown parent, outside the district …
    write(ctx, plan)        bulk_insert / bulk_update the planned entries (services.py wraps it in a transaction)

The generic parts (header matching, required cells, parsing, duplicates, compare with what exists) live in
services.py and here, so every kind behaves the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civicloop.core import validators
from civicloop.core.sql import bulk_insert

from . import BATCH_SIZE

# ----- cell parsers: text in, value out, ValueError(reason) on bad input


def text(max_length: int = 200) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(_("不能超过 %(n)s 个字符。") % {"n": max_length})
        return value

    return parse


# what `reader.cell_text` makes of a date or time cell: 2026-01-01, 2026-01-01 12:30:00, 12:30:00
_DATE_CELL_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?|\d{2}:\d{2}:\d{2}(\.\d+)?)$")


def not_a_date(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """`parse`, refusing a cell that was a spreadsheet date or time: Excel turns a typed "1-1" or "3/2" into
    a date unless the column is text, and a room number that reads 2026-01-01 is never what was meant."""
    def parse_not_date(value: str):
        if _DATE_CELL_RE.match(value):
            raise ValueError(_("这是一个日期：Excel 会把“1-1”“3/2”之类自动转成日期，请把该列设为文本格式后重新填写。"))
        return parse(value)

    return parse_not_date


_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.\-]*$")


def code(value: str) -> str:
    if len(value) > 40 or not _CODE_RE.match(value):
        raise ValueError(_("编码只能包含字母、数字、“-”“_”“.”，不超过40位。"))
    return value


def integer(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(Decimal(value))
        except (InvalidOperation, ValueError):
            raise ValueError(_("应为整数。")) from None
        if not low <= number <= high:
            raise ValueError(_("应在 %(low)s 到 %(high)s 之间。") % {"low": low, "high": high})
        return number

    return parse


def coordinate(low: int, high: int) -> Callable[[str], Decimal]:
    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value).quantize(Decimal("0.000001"))
        except (InvalidOperation, ValueError):
            raise ValueError(_("应为数字（度）。")) from None
        if not low <= number <= high:
            raise ValueError(_("坐标超出中国范围（%(low)s–%(high)s）。") % {"low": low, "high": high})
        return number

    return parse


latitude, longitude = coordinate(3, 54), coordinate(73, 136)


def choice(choices: type[models.TextChoices]) -> Callable[[str], str]:
    """Accept the stored value ("street") or the Chinese label ("街道/镇")."""
    lookup = {c.value.lower(): c.value for c in choices} | {str(c.label): c.value for c in choices}

    def parse(value: str) -> str:
        try:
            return lookup[value.strip().lower() if value.isascii() else value.strip()]
        except KeyError:
            allowed = "、".join(str(c.label) for c in choices)
            raise ValueError(_("取值无效，可选：%(allowed)s。") % {"allowed": allowed}) from None

    return parse


def many(item: Callable[[str], Any]) -> Callable[[str], tuple]:
    """A comma list ("," "，" "、" ";" all work) of items, each parsed by `item`."""

    def parse(value: str) -> tuple:
        return tuple(dict.fromkeys(item(v.strip()) for v in re.split(r"[,，、;；]", value) if v.strip()))

    return parse


def boolean(value: str) -> bool:
    v = value.strip().lower()
    if v in {"1", "是", "true", "yes", "y", "启用"}:
        return True
    if v in {"0", "否", "false", "no", "n", "停用"}:
        return False
    raise ValueError(_("应为“是”或“否”。"))


phone = validators.validate_phone
id_number = validators.validate_id_number
credit_code = validators.validate_credit_code


# ----- declarations


@dataclass(frozen=True)
class Column:
    key: str  # the name used in code and accepted as a header
    header: Any  # zh-Hans header (a translatable msgid)
    header_en: str  # English header, also accepted
    required: bool = False
    parse: Callable[[str], Any] = field(default=text())
    example: str = ""

    def accepts(self, title: str) -> bool:
        """A header cell names this column by its Chinese header, English header, key, or the header in the
        active language; a trailing "*" (the templates mark required columns) is ignored."""
        t = title.strip().rstrip("*＊").strip().lower()
        with translation.override(None):  # the msgid: the Chinese header whatever the language
            source = str(self.header).lower()
        return t in {self.key.lower(), source, str(self.header).lower(), self.header_en.lower()}


@dataclass
class Entry:
    """One row's planned write. `values` are model field values; a value that is a model instance not yet
    saved (an earlier row of the same file) is created first (`depth` orders the creates)."""

    row: int
    key: str
    values: dict[str, Any]
    m2m: dict[str, frozenset] = field(default_factory=dict)
    existing_id: int | None = None
    changed: list[str] = field(default_factory=list)
    m2m_changed: list[str] = field(default_factory=list)
    depth: int = 0
    instance: models.Model | None = None


@dataclass
class Plan:
    create: list[Entry] = field(default_factory=list)
    update: list[Entry] = field(default_factory=list)
    unchanged: int = 0


class RowProblem(Exception):
    """Raised by resolve(): (column key, reason). Several can be collected with `problems`."""

    def __init__(self, column: str, reason: Any):
        self.column, self.reason = column, reason
        super().__init__(str(reason))


def _same(old, new) -> bool:
    if isinstance(new, models.Model):
        return new.pk is not None and old == new.pk
    if old in (None, "") and new in (None, ""):
        return True
    return old == new


class KindSpec:
    """Base class of a kind. Subclasses set the class attributes and implement load/resolve."""

    kind: str = ""  # a TextChoices member (its label names the kind on the page and in the API)
    model: type[models.Model]
    natural_key: str = "code"  # column key that identifies a row
    columns: list[Column] = []
    compare_fields: list[str] = []  # model attnames loaded to compare (FKs as "<name>_id")
    m2m_fields: list[str] = []
    # For the template test: a dotted path `f(world)` creating what the example row names beyond
    # `civicloop.testing.build_world()` (a kind whose rows refer to rows no other import makes, e.g. pairings).
    example_setup: str = ""

    @property
    def label(self) -> str:
        return getattr(self.kind, "label", self.kind)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def row_key(self, data: dict[str, Any]):
        """What identifies a parsed row (duplicates inside the file, matching what exists): the natural key's
        cell; a kind whose rows are identified by several cells (a pairing: party organisation + target)
        combines them here."""
        return data.get(self.natural_key)

    # --- to implement
    def load(self, ctx) -> None:
        raise NotImplementedError

    def resolve(self, ctx, row: int, data: dict[str, Any]) -> Entry | None:
        """The row's entry; None: a good row this kind does not write (say why in `ctx.notices`)."""
        raise NotImplementedError

    # --- compare with what exists (shared)
    def existing(self, ctx) -> dict[str, dict]:
        """{natural key: {"id": …, field: value}} of rows in the district (override for other keys)."""
        rows = self.model.objects.filter(district_id=ctx.district.pk).values("id", self.natural_key_field, *self.compare_fields)
        return {r[self.natural_key_field]: r for r in rows}

    natural_key_field: str = "code"
    taken_reason = _("编码已被其他区使用。")

    def taken_elsewhere(self, ctx, keys: list[str]) -> set[str]:
        """Natural keys (unique across districts) already used by another district's rows."""
        taken = set()
        for chunk in _chunks(keys, 900):
            qs = self.model.objects.filter(**{f"{self.natural_key_field}__in": chunk}).exclude(district_id=ctx.district.pk)
            taken.update(qs.values_list(self.natural_key_field, flat=True))
        return taken

    def existing_m2m(self, ctx, ids: list[int]) -> dict[int, dict[str, frozenset]]:
        return {}

    def diff(self, entry: Entry, old: dict, old_m2m: dict[str, frozenset]) -> None:
        entry.existing_id = old["id"]
        for name, new in entry.values.items():
            attname = name if name in old else f"{name}_id"
            if attname not in old:
                continue  # not a compared field (the natural key, the district)
            if not _same(old.get(attname), new):
                entry.changed.append(name)
        entry.m2m_changed = [n for n, s in entry.m2m.items() if old_m2m.get(n, frozenset()) != s]

    # --- write (shared): creates by depth, then updates, then many-to-many
    def build(self, entry: Entry) -> models.Model:
        return entry.instance or self.model(**entry.values)

    def write(self, ctx, plan: Plan) -> None:
        for depth in sorted({e.depth for e in plan.create}):
            batch = [e for e in plan.create if e.depth == depth]
            for e in batch:
                e.instance = self.build(e)
            for chunk in ctx.progress(_chunks(batch), label=_("写入"), min_total=2):
                bulk_insert([e.instance for e in chunk])
        changed = [e for e in plan.update if e.changed]
        if changed:
            meta = self.model._meta
            fields = sorted({meta.get_field(name).name for e in changed for name in e.changed})
            objs = [self.model(pk=e.existing_id, **e.values) for e in changed]
            self.model.objects.bulk_update(objs, fields, batch_size=500)
        self.write_m2m(ctx, plan)

    def write_m2m(self, ctx, plan: Plan) -> None:
        for name in self.m2m_fields:
            through = getattr(self.model, name).through
            source = f"{self.model._meta.model_name}_id"
            target = f"{getattr(self.model, name).field.related_model._meta.model_name}_id"
            rows, replace = [], []
            for e in plan.create:
                rows += [through(**{source: e.instance.pk, target: t}) for t in e.m2m.get(name, ())]
            for e in plan.update:
                if name in e.m2m_changed:
                    replace.append(e.existing_id)
                    rows += [through(**{source: e.existing_id, target: t}) for t in e.m2m.get(name, ())]
            for chunk in _chunks(replace, 500):
                through.objects.filter(**{f"{source}__in": chunk}).delete()
            for chunk in _chunks(rows):
                bulk_insert(chunk)


def _chunks(items: list, size: int = BATCH_SIZE):
    return [items[i : i + size] for i in range(0, len(items), size)]
