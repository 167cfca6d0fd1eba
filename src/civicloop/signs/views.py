"""Pages of vital signs: the alarm list of the viewer's territory, a place's vital signs (current values, alarms,
30 days of hourly history in ECharts) and the rule editor. Thin: selectors, services, the same predicates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.pages import done, form_validated
from civicloop.places.selectors import place_get_for

from . import selectors
from .api import RuleIn
from .constants import CHART_DAYS, AlarmSeverity, Comparison, RuleKind
from .models import Metric
from .permissions import may_acknowledge, may_escalate, may_manage
from .services import alarms as alarm_services
from .services.catalogue import rule_save


def _alarm_rows(user, alarms):
    return [(a, may_acknowledge(user, a), may_escalate(user, a)) for a in alarms]


@login_required
def alarms(request):
    """The territory's alarms: open ones first by default; `?all=1` shows cleared ones too."""
    show_all = request.GET.get("all") == "1"
    qs = selectors.alarm_list_for(request.user, active=None if show_all else True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "signs/alarms.html", {"page": page, "rows": _alarm_rows(request.user, page.object_list),
                                                 "show_all": show_all})


@login_required
@require_POST
def alarm_act(request, pk: int, action: str):
    if action == "acknowledge":
        alarm_services.alarm_acknowledge(actor=request.user, alarm_id=pk)
        text = _("已确认告警。")
    elif action == "escalate":
        alarm_services.alarm_escalate(actor=request.user, alarm_id=pk)
        text = _("已转为工单。")
    else:
        raise not_found()
    back = request.POST.get("next", "")
    return done(request, back if back.startswith("/signs/") else reverse("signs:alarms"), text)


@login_required
def place_vitals(request, code: str):
    """A place's vital signs: its devices (and those below it) with their newest values, its open alarms, and
    the hourly history of one metric over 30 days (rollups, never raw readings)."""
    place = place_get_for(request.user, code)
    devices = list(selectors.device_list_for(request.user, place=place)[:selectors.DEVICES_ON_A_PAGE])
    latest = selectors.latest_for(devices)
    metric_ids = sorted({row.metric_id for rows in latest.values() for row in rows})
    metrics = list(Metric.objects.filter(pk__in=metric_ids))
    chosen = next((m for m in metrics if m.code == request.GET.get("metric")), metrics[0] if metrics else None)
    chart = None
    if chosen is not None:
        points = selectors.place_series_for(request.user, place, chosen, days=CHART_DAYS)
        chart = {"name": str(chosen.name), "unit": chosen.unit,
                 "hours": [timezone.localtime(p["hour"]).strftime("%m-%d %H:00") for p in points],
                 "mean": [round(p["mean"], 2) if p["mean"] is not None else None for p in points],
                 "low": [p["low"] for p in points], "high": [p["high"] for p in points],
                 "labels": {"mean": _("平均"), "low": _("最低"), "high": _("最高"), "empty": _("暂无读数")},
                 "normal_max": chosen.normal_max}
    open_alarms = list(selectors.alarm_list_for(request.user, active=True, place=place)[:50])
    rows = [(d, latest.get(d.pk, [])) for d in devices]
    return render(request, "signs/place.html", {
        "place": place, "rows": rows, "metrics": metrics, "chosen": chosen, "chart": chart,
        "alarm_rows": _alarm_rows(request.user, open_alarms), "days": CHART_DAYS})


def _rule_form_context(request, rule=None, errors=None):
    from civicloop.cases.models import Category
    from civicloop.orgs.models import Unit
    from civicloop.orgs.scope import scope_for

    return {"rule": rule, "errors": errors or [], "metrics": Metric.objects.all(), "kinds": RuleKind.choices,
            "comparisons": Comparison.choices, "severities": [(AlarmSeverity.WARN, AlarmSeverity.WARN.label),
                                                              (AlarmSeverity.ALARM, AlarmSeverity.ALARM.label)],
            "categories": Category.objects.filter(active=True, parent__isnull=False).order_by("code"),
            "units": scope_for(request.user).filter_district(Unit.objects.filter(active=True)).order_by("code")}


def _rule_from_post(request, rule_id=None):
    fields = RuleIn.model_fields
    data = {k: request.POST[k] for k in fields if request.POST.get(k, "") != ""}
    for flag in ("to_committee", "active"):
        data[flag] = request.POST.get(flag) == "on"
    body = form_validated(RuleIn, data)
    return rule_save(actor=request.user, rule_id=rule_id, **body.dict())


@login_required
def rules(request):
    """The district's rules and a form for a new one (administrators)."""
    if not may_manage(request.user):
        raise CivicError(ErrorCode.FORBIDDEN)
    if request.method == "POST":
        _rule_from_post(request)
        return done(request, reverse("signs:rules"), _("已保存告警规则。"))
    return render(request, "signs/rules.html", {"rules": list(selectors.rule_list_for(request.user)),
                                                **_rule_form_context(request)})


@login_required
def rule_edit(request, pk: int):
    if not may_manage(request.user):
        raise CivicError(ErrorCode.FORBIDDEN)
    rule = selectors.rule_get_for(request.user, pk)
    if request.method == "POST":
        _rule_from_post(request, rule_id=rule.pk)
        return done(request, reverse("signs:rules"), _("已保存告警规则。"))
    return render(request, "signs/rule.html", _rule_form_context(request, rule))
