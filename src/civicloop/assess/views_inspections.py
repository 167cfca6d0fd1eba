"""The inspection pages: rounds (list, create), a round (members, route, its findings, the finding form — made
for a phone), a finding (its case, its status, the re-inspection). Thin, like views.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.pages import done, form_validated
from civicloop.places.constants import PlaceLevel

from . import selectors
from .constants import MAX_FINDING_PHOTOS, InspectionKind, RoundState, Severity
from .inputs import FindingIn, RecheckIn, RoundIn
from .models import Indicator
from .permissions import may_manage, may_recheck, may_record_finding, may_see_rounds
from .services import inspections as services
from .views import _form, _pk

PAGE_FINDINGS = 200


@login_required
def round_list(request):
    user = request.user
    if not may_see_rounds(user):
        raise CivicError(ErrorCode.FORBIDDEN)
    manager = may_manage(user)
    if request.method == "POST":
        data = _form(request, ("name", "kind", "start", "end", "route"))
        data["member_ids"] = [v for v in request.POST.getlist("member_ids") if v]
        payload = form_validated(RoundIn, data)
        r = services.round_create(actor=user, **payload.dict())
        return done(request, reverse("assess:round", args=[r.pk]), _("已新建巡查。"))
    staff = []
    if manager:
        from civicloop.orgs.constants import Role
        from civicloop.orgs.selectors import staff_list_for

        staff = staff_list_for(user, role=Role.INSPECTOR)
    return render(request, "assess/rounds.html", {"rounds": list(selectors.rounds_for(user)[:200]),
                                                  "manager": manager, "kinds": InspectionKind.choices,
                                                  "staff": staff})


def _places(user):
    from civicloop.places.selectors import place_list_for

    return place_list_for(user).filter(level__in=(PlaceLevel.STREET, PlaceLevel.COMMUNITY)).order_by("path")


@login_required
def round_page(request, pk: int):
    r = selectors.round_get_for(request.user, _pk(pk))
    may_record = may_record_finding(request.user, r)
    if request.method == "POST":
        data = _form(request, ("place_id", "description", "severity", "indicator_id", "found_on"))
        data["rectify"] = request.POST.get("rectify") == "on"
        payload = form_validated(FindingIn, data)
        finding = services.finding_record(actor=request.user, round_id=r.pk, **payload.dict(),
                                          photos=request.FILES.getlist("photos"))
        text = _("已记录，并已生成整改工单。") if finding.case_id else _("已记录。")
        return done(request, reverse("assess:round", args=[r.pk]), text)
    findings = selectors.findings_shown(request.user, list(
        selectors.findings_for(request.user).filter(inspection_round=r)[:PAGE_FINDINGS]))
    indicators = []
    if may_record:
        indicators = list(Indicator.objects.filter(indicator_set_id__in=selectors.latest_set_ids(r.district_id),
                                                   kind="subjective", rule="deduction")
                          .select_related("indicator_set").order_by("indicator_set__code", "code")[:300])
    return render(request, "assess/round.html", {
        "round": r, "members": list(r.members.all()), "findings": findings, "may_record": may_record,
        "may_close": may_manage(request.user, r.district_id) and r.state == RoundState.OPEN,
        "places": _places(request.user) if may_record else [], "severities": Severity.choices,
        "indicators": indicators, "max_photos": MAX_FINDING_PHOTOS})


@login_required
@require_POST
def round_close(request, pk: int):
    services.round_close(actor=request.user, round_id=_pk(pk))
    return done(request, reverse("assess:round", args=[pk]), _("巡查已结束。"))


@login_required
def finding_page(request, pk: int):
    finding = selectors.finding_get_for(request.user, _pk(pk))
    selectors.findings_shown(request.user, [finding])
    if request.method == "POST":
        payload = form_validated(RecheckIn, {"passed": request.POST.get("passed", ""),
                                             "note": request.POST.get("note", "")})
        services.finding_recheck(actor=request.user, finding_id=finding.pk, **payload.dict())
        return done(request, reverse("assess:finding", args=[finding.pk]), _("已记录复查结果。"))
    from civicloop.cases.selectors import cases_visible_to

    case_visible = finding.case_id is not None and cases_visible_to(request.user).filter(pk=finding.case_id).exists()
    return render(request, "assess/finding.html", {"finding": finding, "case_visible": case_visible,
                                                   "photos": selectors.finding_photos(finding),
                                                   "may_recheck": may_recheck(request.user, finding)
                                                   and finding.case_id is not None})
