"""The hotline's kind of the imports framework: 12345 work orders from .xlsx/.csv.

A row is one work order, identified by its number. Every row is checked first (the framework: required cells,
parsers, duplicate numbers; here: a datetime that reads as one); a row whose hotline category has no mapping
(`CategoryMapping`) is reported in the result's notices and not registered — it is no bad row, the mapping is
missing. The good rows are then written together or not at all: new work orders are registered through
`cases.services.case_register_bulk` (channel `hotline_12345`, external id = the work-order number, so the case
is idempotent by the cases' own rule), a known one updates what may still change — the hotline's urgency and
deadline (`WorkOrder`), and the case's urgency while it has never been dispatched (a triage step, the event
says so) — and never registers twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import Action, AppealType, CaseState, Channel, Layer, Urgency
from civicloop.cases.services import case_register_bulk, case_triage
from civicloop.core.bulk import Table
from civicloop.core.errors import CivicError
from civicloop.imports import spec as s
from civicloop.imports.error_codes import ImportErrorCode
from civicloop.workdays.calendar import SHANGHAI

from .addresses import PlaceNames
from .constants import REGISTER_CHUNK, HotlineImportKind
from .models import CategoryMapping, WorkOrder

_DT_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")


def _moment(end_of_day: bool):
    """A date-time cell ("2026-12-01 09:30[:00]", "2026/12/01", a spreadsheet date) in Shanghai time; a date alone
    is its start (received) or its end (a deadline)."""
    def parse(value: str) -> dt.datetime:
        m = _DT_RE.match(value.strip())
        if m is None:
            raise ValueError(_("应为日期时间，如 2026-12-01 09:30。"))
        y, mo, d, h, mi, sec = (int(g) if g else None for g in m.groups())
        try:
            if h is None:
                day = dt.datetime(y, mo, d, tzinfo=SHANGHAI)
                return day + dt.timedelta(days=1, microseconds=-1) if end_of_day else day
            return dt.datetime(y, mo, d, h, mi, sec or 0, tzinfo=SHANGHAI)
        except ValueError:
            raise ValueError(_("日期不存在。")) from None

    return parse


received_at, deadline = _moment(False), _moment(True)


class _Count:
    """A notice of the result, told when the check is over (`str()`): how many rows, and which (the first ten)."""

    def __init__(self, text, rows: list[int], **names):
        self.text, self.rows, self.names = text, rows, names

    def __str__(self) -> str:
        shown = "、".join(str(r) for r in self.rows[:10]) + ("…" if len(self.rows) > 10 else "")
        return str(self.text) % {**self.names, "n": len(self.rows), "rows": shown}


@dataclass
class OrderEntry(s.Entry):
    case_item: dict = field(default_factory=dict)  # the `case_register_bulk` item of a new order


class WorkOrderSpec(s.KindSpec):
    kind = HotlineImportKind.ORDERS
    model = WorkOrder
    natural_key = "work_order_no"
    natural_key_field = "work_order_no"
    compare_fields = ["urgency", "deadline", "case_id"]
    example_setup = "civicloop.hotline.testing.mapping_for_example"
    columns = [
        s.Column("work_order_no", _("工单号"), "Work order number", True, s.not_a_date(s.code), "HL202612010001"),
        s.Column("received_at", _("受理时间"), "Received at", True, received_at, "2026-12-01 09:30"),
        s.Column("hotline_category", _("热线分类"), "Hotline category", True, s.text(100), "市容环境/乱堆乱放"),
        s.Column("appeal_type", _("诉求类型"), "Appeal type", False, s.choice(AppealType), "求助"),
        s.Column("content", _("诉求内容"), "Content", True, s.text(4000), "楼道内堆放杂物，影响通行。"),
        s.Column("address", _("地址"), "Address", False, s.text(200), ""),
        s.Column("caller_phone", _("来电号码"), "Caller phone", False, s.phone, "13812341234"),
        s.Column("urgency", _("紧急程度"), "Urgency", False, s.choice(Urgency), "一般"),
        s.Column("deadline", _("办理期限"), "Deadline", False, deadline, ""),
    ]

    def load(self, ctx) -> None:
        district = ctx.district.pk
        ctx.cache["mapping"] = dict(CategoryMapping.objects.filter(district_id=district).values_list(
            "hotline_category", "category_id"))
        ctx.cache["places"] = PlaceNames.of(district)
        ctx.cache["unmapped"] = {}  # hotline category → rows
        ctx.cache["unplaced"] = []  # rows of new orders whose address names no place of the district
        ctx.cache["known"] = set(WorkOrder.objects.filter(district_id=district).values_list("work_order_no", flat=True))

    def resolve(self, ctx, row, data) -> OrderEntry | None:
        name = data["hotline_category"].strip()
        category_id = ctx.cache["mapping"].get(name)
        if category_id is None:
            rows = ctx.cache["unmapped"].setdefault(name, [])
            if not rows:
                ctx.notices.append(_Count(_("未对照的12345分类「%(name)s」：%(n)s 行未登记（第%(rows)s行）。"),
                                          rows, name=name))
            rows.append(row)
            return None
        urgency = data.get("urgency") or Urgency.NORMAL
        values = {"district_id": ctx.district.pk, "work_order_no": data["work_order_no"],
                  "received_at": data["received_at"], "hotline_category": name, "urgency": urgency,
                  "deadline": data.get("deadline")}
        address = data.get("address") or ""
        place_id = ctx.cache["places"].match(address) if address else None
        if place_id is None and data["work_order_no"] not in ctx.cache["known"]:
            if not ctx.cache["unplaced"]:
                ctx.notices.append(_Count(_("%(n)s 行的地址未匹配到本区地点（第%(rows)s行）：登记在区级，由区派单员分派。"),
                                          ctx.cache["unplaced"]))
            ctx.cache["unplaced"].append(row)
        phone = data.get("caller_phone") or ""
        item = {"channel": Channel.HOTLINE_12345, "external_id": data["work_order_no"],
                "description": data["content"], "category_id": category_id, "urgency": urgency,
                "appeal_type": data.get("appeal_type") or AppealType.HELP, "address": address,
                "place_id": place_id, "reporter_phone": phone, "reporter_anonymous": not phone,
                "note": _gettext("12345工单 %(no)s，受理时间 %(at)s") % {
                    "no": data["work_order_no"], "at": data["received_at"].strftime("%Y-%m-%d %H:%M")}}
        return OrderEntry(row=row, key=data["work_order_no"], values=values, case_item=item)

    def existing(self, ctx) -> dict[str, dict]:
        rows = WorkOrder.objects.filter(district_id=ctx.district.pk).values(
            "id", "work_order_no", "urgency", "deadline", "case_id")
        return {r["work_order_no"]: r for r in rows}

    def diff(self, entry, old, old_m2m) -> None:
        entry.values["case_id"] = old["case_id"]  # the case stays the one first registered
        super().diff(entry, old, old_m2m)

    def taken_elsewhere(self, ctx, keys) -> set[str]:
        return set()  # a work-order number is the hotline's, unique within a district's exchange

    def write(self, ctx, plan: s.Plan) -> None:
        chunks = [plan.create[i:i + REGISTER_CHUNK] for i in range(0, len(plan.create), REGISTER_CHUNK)]
        for chunk in ctx.progress(chunks, label=_("登记"), min_total=2):
            results = case_register_bulk(actor=ctx.actor, items=[e.case_item for e in chunk])
            refused = [(e, r) for e, r in zip(chunk, results, strict=True) if r.error is not None]
            if refused:  # checked before, refused now (a place or category changed meanwhile): nothing written
                raise CivicError(ImportErrorCode.IMPORT_ROWS_INVALID, details=[{
                    "where": _gettext("第%(row)s行") % {"row": e.row}, "field": "",
                    "reason": str(r.error.message)} for e, r in refused])
            for entry, result in zip(chunk, results, strict=True):
                entry.values["case_id"] = result.case.pk
            orders = [WorkOrder(**e.values) for e in chunk]
            at = timezone.now()
            for order in orders:  # what auto_now(_add) would set: `Table` writes the values as they are
                order.imported_at = order.updated_at = at
            Table(WorkOrder).write_objects(orders)
        changed = [e for e in plan.update if e.changed]
        for entry in changed:
            WorkOrder.objects.filter(pk=entry.existing_id).update(
                urgency=entry.values["urgency"], deadline=entry.values["deadline"], updated_at=timezone.now())
        self._retriage(ctx, [e for e in changed if "urgency" in e.changed])

    def _retriage(self, ctx, entries) -> None:
        """The hotline changed a work order's urgency: the case follows while it was never dispatched — a triage
        step by the importer keeping the category and layer (the event records the change and who made it), when
        the importer may triage it (an administrator without the dispatcher's role leaves it to the dispatcher:
        the hotline's urgency shows on the case page)."""
        from civicloop.cases.models import Case
        from civicloop.cases.preconditions import can

        cases = {c.pk: c for c in Case.objects.filter(pk__in=[e.values["case_id"] for e in entries],
                                                      state__in=(CaseState.REGISTERED, CaseState.TRIAGED),
                                                      dispatched_at__isnull=True)}
        for entry in entries:
            case = cases.get(entry.values["case_id"])
            if case is None or case.urgency == entry.values["urgency"] or not can(ctx.actor, case, Action.TRIAGE):
                continue
            case_triage(actor=ctx.actor, case_id=case.pk, category_id=case.category_id or entry.case_item["category_id"],
                        urgency=entry.values["urgency"], layer=case.layer or Layer.LOCAL,
                        note=_gettext("12345工单 %(no)s 更新紧急程度。") % {"no": entry.key})
