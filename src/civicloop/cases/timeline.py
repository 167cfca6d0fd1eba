"""The timeline as a person reads it: one summary line per event, saying what the step did — dispatched to whom,
with which co-units and deadline; the extension days asked and granted; the reply's method; the rating given; the
supervision and whether it was answered; the merge target; a deadline counted again on a year's official
calendar.

`Lookup.for_case(case, events, visible)` reads what the summaries name (unit and category names, the extension requests,
replies, supervisions and merge targets of the case) in a few queries, once per page; `summary(event, lookup)` is
pure over the event's `before`/`after` and the lookup. The event's note (reasons, results, reply text) is shown
next to the summary, masked as `selectors.case_detail` decides; the summary never quotes free text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .changes import recount_year
from .constants import Action, Layer, ReplyChannel, Satisfaction, Urgency


@dataclass
class Lookup:
    units: dict[int, str] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)
    cases: dict[int, str] = field(default_factory=dict)  # merge targets: id → tracking code
    asked: dict[dt.datetime, int] = field(default_factory=dict)  # extension requested_at → days
    decided: dict[dt.datetime, int] = field(default_factory=dict)  # extension decided_at → days
    replies: dict[dt.datetime, str] = field(default_factory=dict)  # reply at → channel
    supervisions: dict[dt.datetime, bool] = field(default_factory=dict)  # opened_at → answered

    @classmethod
    def for_case(cls, case, events, visible_cases=None) -> Lookup:
        """`visible_cases`: the viewer's cases (a queryset) — a merge target they may not see is not named."""
        from civicloop.orgs.models import Unit

        from .models import Case, Category

        unit_ids, category_ids, case_ids = set(), set(), set()
        for e in events:
            for values in (e.before or {}, e.after or {}):
                for key in ("lead_unit_id", "dispatching_unit_id"):
                    if values.get(key):
                        unit_ids.add(values[key])
                unit_ids.update(values.get("co_unit_ids") or [])
                if values.get("category_id"):
                    category_ids.add(values["category_id"])
                if values.get("merged_into_id"):
                    case_ids.add(values["merged_into_id"])
        lookup = cls()
        if unit_ids:
            lookup.units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
        if category_ids:
            lookup.categories = dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "name"))
        if case_ids:
            targets = Case.objects.all() if visible_cases is None else visible_cases
            lookup.cases = dict(targets.filter(pk__in=case_ids).values_list("pk", "tracking_code"))
        for asked_at, decided_at, days in case.extension_requests.values_list("requested_at", "decided_at", "days"):
            lookup.asked[asked_at] = days
            if decided_at is not None:
                lookup.decided[decided_at] = days
        lookup.replies = dict(case.replies.values_list("at", "channel"))
        lookup.supervisions = {at: replied is not None
                               for at, replied in case.supervisions.values_list("opened_at", "replied_at")}
        return lookup


def label_of(choices, value) -> str:
    """The label of `value` in `choices`, or the value itself when it is not (or no longer) one of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _when(value) -> str:
    if not value:
        return ""
    at = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def _deadline(after: dict) -> str:
    text = _when(after.get("deadline"))
    if text and after.get("deadline_provisional"):
        text += _("（暂定）")
    return text


def _day(value, provisional: bool = False) -> str:
    """A deadline's day (deadlines end at 23:59:59), with （暂定） when it is still provisional."""
    text = _when(value)[:10]
    return text + _("（暂定）") if text and provisional else text


def _recount(event, before: dict, after: dict) -> str:
    """A `recount`: which year's calendar, and what it did to the deadline (moved it; or only made it final)."""
    year = recount_year(event.note)
    now = {**before, **after}
    if "deadline" in after:
        text = (_("按%(year)s年正式节假日安排重算期限：%(before)s → %(after)s") if year
                else _("按正式节假日安排重算期限：%(before)s → %(after)s"))
        return text % {"year": year, "before": _day(before.get("deadline")),
                       "after": _day(after["deadline"], now.get("deadline_provisional"))}
    if "deadline_provisional" in after and not after["deadline_provisional"]:
        text = _("%(year)s年节假日安排已确认，期限 %(deadline)s 不再暂定") if year else _("节假日安排已确认，期限 %(deadline)s 不再暂定")
        return text % {"year": year, "deadline": _day(now.get("deadline"))}
    return _("按%(year)s年正式节假日安排重算临期时间") % {"year": year} if year else _("按正式节假日安排重算临期时间")


def _dispatch(after: dict, lookup: Lookup) -> str:
    parts = []
    if after.get("lead_unit_id"):
        parts.append(_("派至 %(unit)s") % {"unit": lookup.units.get(after["lead_unit_id"], "—")})
    co = [lookup.units.get(u, "—") for u in after.get("co_unit_ids") or []]
    if co:
        parts.append(_("协办：%(units)s") % {"units": "、".join(co)})
    if after.get("time_limit_days"):
        parts.append(_("时限 %(days)s 个工作日") % {"days": after["time_limit_days"]})
    if after.get("deadline"):
        parts.append(_("期限 %(deadline)s") % {"deadline": _deadline(after)})
    return "；".join(parts)


def summaries(events, lookup: Lookup) -> list[str]:
    """`summary` of each event (oldest first), each read against the case as it stood before it (the fold of
    the earlier events' `after`, as replay.py rebuilds the row)."""
    current: dict = {}
    out = []
    for event in events:
        out.append(summary(event, lookup, current))
        current = {**current, **(event.after or {})}
    return out


def summary(event, lookup: Lookup, current: dict | None = None) -> str:
    """What the step did, in a line (empty when the action's name and its note say it all). `current`: the case's
    tracked fields before the event (for what the step did not change, e.g. the lead unit a reopen goes back to)."""
    a, after = event.action, event.after or {}
    before = {**(current or {}), **(event.before or {})}
    if a in (Action.DISPATCH, Action.DECIDE):
        return _dispatch(after, lookup)
    if a == Action.TRIAGE:
        parts = []
        if "category_id" in after:
            parts.append(_("分类：%(name)s") % {"name": lookup.categories.get(after["category_id"], "—")})
        if "urgency" in after:
            parts.append(_("紧急程度：%(value)s") % {"value": label_of(Urgency, after["urgency"])})
        if "layer" in after:
            parts.append(_("层级：%(value)s") % {"value": label_of(Layer, after["layer"])})
        return "；".join(parts)
    if a == Action.RETURN:
        unit = lookup.units.get(before.get("lead_unit_id"), "")
        text = _("%(unit)s 退单（第 %(n)s 次）") if unit else _("退单（第 %(n)s 次）")
        return text % {"unit": unit, "n": after.get("return_count", "")}
    if a == Action.REQUEST_EXTENSION:
        days = lookup.asked.get(event.at)
        return _("申请延期 %(days)s 个工作日") % {"days": days} if days else ""
    if a == Action.APPROVE_EXTENSION:
        granted = (after.get("time_limit_days") or 0) - (before.get("time_limit_days") or 0)
        days = granted if granted > 0 else lookup.decided.get(event.at)
        text = _("批准延期 %(days)s 个工作日") % {"days": days} if days else str(Action.APPROVE_EXTENSION.label)
        return f"{text}；" + _("新期限 %(deadline)s") % {"deadline": _deadline(after)} if after.get("deadline") else text
    if a == Action.DENY_EXTENSION:
        days = lookup.decided.get(event.at)
        return _("驳回延期申请（%(days)s 个工作日）") % {"days": days} if days else ""
    if a == Action.REPLY:
        channel = lookup.replies.get(event.at)
        return _("答复方式：%(channel)s") % {"channel": label_of(ReplyChannel, channel)} if channel else ""
    if a == Action.ANSWER:
        channel = lookup.replies.get(event.at)
        return _("咨询当场答复，不再派单；答复方式：%(channel)s") % {
            "channel": label_of(ReplyChannel, channel)} if channel else _("咨询当场答复，不再派单")
    if a == Action.REPLY_UNREACHABLE:
        return _("未能联系上诉求人，记为已答复")
    if a == Action.RATE:
        return _("评价：%(value)s") % {"value": label_of(Satisfaction, after.get("satisfaction"))}
    if a == Action.REOPEN:
        unit = lookup.units.get(before.get("lead_unit_id"), "")
        return _("退回 %(unit)s 重办") % {"unit": unit} if unit else _("退回重办")
    if a == Action.SUPERVISE:
        answered = lookup.supervisions.get(event.at)
        if answered is None:
            return ""
        return _("督办通知，已回复") if answered else _("督办通知，待牵头单位回复")
    if a == Action.SUPERVISION_REPLY:
        return _("牵头单位回复督办")
    if a == Action.ESCALATE:
        return _("提交“2+1”会商")
    if a == Action.MERGE:
        code = lookup.cases.get(after.get("merged_into_id"))
        return _("合并到 %(code)s，随其答复") % {"code": code} if code else ""
    if a == Action.MERGED_REPLY:
        return _("随主工单答复诉求人")
    if a == Action.CLOSE:
        return _("结案")
    if a == Action.RECOUNT:
        return _recount(event, before, after)
    return ""
