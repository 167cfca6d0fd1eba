"""The visits pages. They call selectors and services, never api.py."""

import uuid
from itertools import groupby
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicloop.core.errors import CivicError, not_found
from civicloop.core.pages import done, form_validated
from civicloop.core.pages import page_pk as _pk
from civicloop.core.xlsx import Column, Sheet, workbook_bytes
from civicloop.places.models import Place
from civicloop.places.outlines import district_outline

from . import permissions as visit_permissions
from . import selectors
from .campaign_inputs import (
    CampaignIn,
    CampaignUpdateIn,
    MemberIn,
    PairingIn,
    TeamIn,
    TeamUpdateIn,
    TopicIn,
)
from .constants import (
    KEY_GROUPS,
    CampaignState,
    MemberRole,
    PairingTarget,
    SubjectGroup,
    SubjectKind,
    VisitMethod,
    VisitSatisfaction,
)
from .coverage import Area, UnvisitedQuery
from .permissions import may_record
from .services import assignment as assignment_services
from .services import campaigns as campaign_services
from .services import pairing as pairing_services
from .services import teams as team_services
from .services.records import visit_record
from .team_rule import seat_label, team_gaps
from .visit_input import VisitIn


@login_required
def mine(request):
    """The person's teams, each with its subjects to visit and visited, and a link to its field list."""
    return render(request, "visits/mine.html", {"teams": selectors.my_teams(request.user)})


# ----- visit records, field lists, subjects (records)



def _walk_groups(rows: list[dict]) -> list[dict]:
    """The field list's subjects (in walk order) grouped community → compound → building, order kept."""
    out: list[dict] = []
    for (community, compound), in_compound in groupby(rows, key=lambda r: (r["community"], r["compound"])):
        out.append({"community": community, "compound": compound, "buildings": [
            {"building": building, "subjects": list(subjects)}
            for building, subjects in groupby(in_compound, key=lambda r: r["building"])]})
    return out


@login_required
def field_list(request, pk: int):
    """A team's field list: printable (print CSS), and a column of cards on a phone."""
    data = selectors.field_list_for(request.user, _pk(pk))
    visited = sum(1 for s in data["subjects"] if s["visits_count"])
    return render(request, "visits/field_list.html", {**data, "groups": _walk_groups(data["subjects"]),
                                                       "visited": visited,
                                                       "to_visit": len(data["subjects"]) - visited})




def _visit_form_data(request, subject_id: int) -> dict:
    """The record form's fields as `VisitIn` reads them: problems from the repeated rows (blank rows dropped),
    follow-ups from the answered earlier cases (left at 不回访: none)."""
    post = request.POST
    data = {"client_id": post.get("client_id", ""), "subject_id": subject_id, "visited_on": post.get("visited_on", ""),
            "method": post.get("method", ""), "summary": post.get("summary", ""),
            "satisfaction": post.get("satisfaction", ""), "member_ids": [v for v in post.getlist("member_ids") if v],
            "problems": [{"description": text} for text in post.getlist("problem") if text.strip()],
            "follow_ups": []}
    if post.get("topic_id"):
        data["topic_id"] = post["topic_id"]
    for case_id in post.getlist("follow_case"):
        answer = post.get(f"follow_{case_id}", "")
        if answer:
            data["follow_ups"].append({"case_id": case_id, "satisfaction": answer,
                                       "note": post.get(f"follow_note_{case_id}", "")})
    return data




@login_required
def subject(request, pk: int):
    """A subject's page: its visits in every campaign, the outcome of every case they raised, and — for a staff
    member of its team while the campaign runs (`permissions.may_record`) — the record form, which starts from
    that history (one question per earlier case)."""
    history = selectors.subject_history_for(request.user, _pk(pk))
    subject = history["subject"]
    may = may_record(request.user, subject)
    if request.method == "POST":
        payload = form_validated(VisitIn, _visit_form_data(request, subject.pk))
        visit, created = visit_record(actor=request.user, **payload.dict())
        n = visit.problems.count()
        text = (_("已记录走访，登记工单 %(n)d 件。") % {"n": n}) if created else _("该走访已记录过，未重复保存。")
        return done(request, reverse("visits:subject", args=[subject.pk]), text, anchor=f"#visit-{visit.pk}")
    context = {**history, "may_record": may,
               "may_unpin": visit_permissions.subject_may_unpin(subject, subject.campaign)
               and visit_permissions.may_manage_campaign(request.user, subject.campaign)}
    if may:
        team = subject.team
        context.update({
            "client_id": uuid.uuid4(), "today": timezone.localdate(), "members": selectors.team_members(team),
            "topics": subject.campaign.topics.order_by("pk"), "methods": VisitMethod.choices,
            "satisfactions": VisitSatisfaction.choices,
            "default_method": VisitMethod.ENTERPRISE if subject.enterprise_id else VisitMethod.DOOR,
        })
    return render(request, "visits/subject.html", context)


@login_required
@require_POST
def subject_unpin(request, pk: int):
    """Release a subject assigned by hand to the assignment runs (`services.assignment.subject_unpin`)."""
    subject = assignment_services.subject_unpin(actor=request.user, subject_id=_pk(pk))
    return done(request, reverse("visits:subject", args=[subject.pk]),
                _("已取消手工指派：下次重新分配时，该走访对象将与其他对象一起分配。"))


@login_required
def problem_row(request):
    """One more problem row for the record form (htmx: 添加问题)."""
    return render(request, "visits/_problem_row.html")


# ----- offline (the field app and its service worker)


@login_required
def field(request):
    """The offline field app: a shell the service worker keeps; the team's list and the visit form are drawn in
    the browser from the field-list JSON, and records wait in an on-device outbox until they can be sent."""
    from .field_app import field_config, field_strings

    teams = list(selectors.field_teams_for(request.user))
    return render(request, "visits/field.html",
                  {"teams": teams, "config": field_config(request.user, teams), "strings": field_strings()})


def service_worker(request):
    """The field app's service worker, from this path so it may control /visits/field/ (a worker controls only
    pages under its own path). Open to everyone: it is code and the shell's public URLs, and the browser must be
    able to fetch an update even when the session has lapsed."""

    from .field_app import service_worker_source

    response = HttpResponse(service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser compares it byte by byte to find a new version
    return response


# ----- campaigns, pairing, teams, assignment









def _ids(request, name: str) -> list[str]:
    return [v for v in request.POST.getlist(name) if v]


def _area_choices(user):
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.selectors import place_list_for

    return place_list_for(user).filter(level__in=(PlaceLevel.STREET, PlaceLevel.COMMUNITY)).order_by("path")


def _campaign_form(request, *, full: bool) -> dict:
    """A campaign form's values as the schema reads them (the create form has fewer fields)."""
    data = {k: request.POST[k] for k in ("name", "start", "end") if request.POST.get(k, "") != ""}
    data["area_ids"] = _ids(request, "area_ids")
    data["subject_kinds"] = _ids(request, "subject_kinds")  # none ticked: refused (at least one)
    if full:
        data["targets"] = {g: request.POST.get(f"target_{g}", "") for g in SubjectGroup.values}
        data["themes"] = [line.strip() for line in request.POST.get("themes", "").splitlines() if line.strip()]
    return data


@login_required
def campaign_list(request):
    """The campaigns list, and (managers) the form of a new draft campaign."""
    manager = visit_permissions.may_manage(request.user, request.user.district_id) if request.user.district_id else False
    if request.method == "POST":
        payload = form_validated(CampaignIn, _campaign_form(request, full=False))
        campaign = campaign_services.campaign_create(actor=request.user, **payload.dict())
        return done(request, reverse("visits:campaign", args=[campaign.pk]), _("已创建走访活动（草拟）。"))
    return render(request, "visits/campaigns.html", {
        "campaigns": selectors.campaigns_for(request.user)[:200], "may_create": manager,
        "areas": _area_choices(request.user) if manager else [], "kinds": SubjectKind.choices})


@login_required
def campaign_page(request, pk: int):
    campaign = selectors.campaign_get_for(request.user, pk)
    if request.method == "POST":
        payload = form_validated(CampaignUpdateIn, _campaign_form(request, full=True))
        campaign_services.campaign_update(actor=request.user, campaign_id=pk, **payload.dict(exclude_unset=True))
        return done(request, reverse("visits:campaign", args=[pk]), _("已保存。"))
    manager = visit_permissions.may_manage_campaign(request.user, campaign)
    editable = manager and visit_permissions.campaign_is_editable(campaign)
    start_gaps = campaign_services.campaign_start_gaps(campaign) \
        if manager and campaign.state == CampaignState.DRAFT else []
    teams = selectors.campaign_teams(request.user, campaign)
    counts = selectors.team_subject_counts(request.user, campaign)
    groups = selectors.subject_group_counts(request.user, campaign)
    from civicloop.orgs.constants import Role
    from civicloop.orgs.selectors import staff_list_for, unit_list_for

    context = {
        "campaign": campaign, "units": list(campaign.units.all()), "areas": list(campaign.areas.all()),
        "topics": list(selectors.campaign_topics(request.user, campaign)), "teams": teams,
        "unassigned": counts.get(None, 0), "subject_total": sum(counts.values()),
        "groups": [(label, groups.get(value, 0), campaign.targets.get(value, 0)) for value, label in SubjectGroup.choices],
        "rule": [{"label": seat_label(seat), "min": seat.get("min", 0),
                  "roles": "、".join(str(MemberRole(r).label) for r in seat.get("roles", ()) if r in MemberRole.values)}
                 for seat in campaign.team_rule],
        "kind_labels": [str(SubjectKind(k).label) for k in campaign.subject_kinds if k in SubjectKind.values],
        "manager": manager, "editable": editable,
        "may_start": manager and campaign.state == CampaignState.DRAFT and not start_gaps, "start_gaps": start_gaps,
        "may_close": manager and visit_permissions.campaign_may_close(campaign),
        "may_assign": manager and visit_permissions.campaign_may_assign(campaign),
        # the forms only where the services would accept them
        "area_choices": _area_choices(request.user) if editable else [],
        "area_ids": {a.pk for a in campaign.areas.all()}, "kinds": SubjectKind.choices,
        "target_rows": [(value, label, campaign.targets.get(value, 0)) for value, label in SubjectGroup.choices],
        "leaders": staff_list_for(request.user, role=Role.LEADER) if editable else [],
        "team_units": unit_list_for(request.user, active_only=True) if editable else [],
        "running": campaign.state == CampaignState.RUNNING,
    }
    return render(request, "visits/campaign.html", context)


CAMPAIGN_ACTIONS = {
    "start": (campaign_services.campaign_start, lambda r: _("走访活动已启动：生成走访对象 %(created)s 个。") % r),
    "close": (campaign_services.campaign_close, lambda r: _("走访活动已结束。")),
    "assign": (assignment_services.assignment_run,
               lambda r: _("已重新分配：新增 %(created)s 个，调整 %(moved)s 个，保留 %(kept)s 个。") % r),
}


@login_required
@require_POST
def campaign_act(request, pk: int, action: str):
    if action not in CAMPAIGN_ACTIONS:
        raise not_found()
    selectors.campaign_get_for(request.user, pk)
    service, text = CAMPAIGN_ACTIONS[action]
    result = service(actor=request.user, campaign_id=pk)
    return done(request, reverse("visits:campaign", args=[pk]), text(result))


@login_required
@require_POST
def topic_add(request, pk: int):
    data = {k: request.POST[k] for k in ("title", "leader_id", "description") if request.POST.get(k, "") != ""}
    payload = form_validated(TopicIn, data)
    campaign_services.topic_create(actor=request.user, campaign_id=pk, **payload.dict())
    return done(request, reverse("visits:campaign", args=[pk]), _("已添加调研课题。"))


@login_required
@require_POST
def team_add(request, pk: int):
    data = {k: request.POST[k] for k in ("name", "unit_id") if request.POST.get(k, "") != ""}
    payload = form_validated(TeamIn, data)
    team = team_services.team_create(actor=request.user, campaign_id=pk, **payload.dict())
    return done(request, reverse("visits:team", args=[team.pk]), _("已建立走访组，请添加成员。"))


@login_required
def team_page(request, pk: int):
    team = selectors.team_get_for(request.user, pk)
    campaign = team.campaign
    if request.method == "POST":
        data = {"name": request.POST.get("name") or None, "active": request.POST.get("active") == "on"}
        payload = form_validated(TeamUpdateIn, data)
        team_services.team_update(actor=request.user, team_id=pk, **payload.dict(exclude_none=True))
        return done(request, reverse("visits:team", args=[pk]), _("已保存。"))
    members = list(selectors.team_member_rows(team))
    editable = visit_permissions.may_manage_campaign(request.user, campaign) and \
        visit_permissions.campaign_is_editable(campaign)
    bound = visit_permissions.team_is_working(team, campaign)
    return render(request, "visits/team.html", {
        "team": team, "campaign": campaign, "members": members, "gaps": team_gaps(campaign.team_rule, members),
        "subject_count": selectors.team_subject_counts(request.user, campaign).get(team.pk, 0),
        "editable": editable, "bound": bound, "roles": MemberRole.choices})


def _member_form(request) -> dict:
    """The add-member form names a staff account by login name or a people record by code; their ids are
    looked up in the viewer's sight (unknown answers as the service would: invalid)."""
    from civicloop.orgs.selectors import person_list_for, staff_list_for

    data: dict = {"recorder": request.POST.get("recorder") == "on"}
    if request.POST.get("role"):
        data["role"] = request.POST["role"]
    username, code = (request.POST.get("username") or "").strip(), (request.POST.get("person_code") or "").strip()
    if username:
        data["user_id"] = staff_list_for(request.user).filter(username=username).values_list("pk", flat=True).first()
        if data["user_id"] is None:
            raise campaign_services.invalid(_("找不到该登录名的本区工作人员。"), field=_("工作人员"))
    elif code:
        data["person_id"] = person_list_for(request.user).filter(code=code).values_list("pk", flat=True).first()
        if data["person_id"] is None:
            raise campaign_services.invalid(_("找不到该编码的本区人员。"), field=_("人员"))
    return data


@login_required
@require_POST
def member_add(request, pk: int):
    team = selectors.team_get_for(request.user, pk)
    payload = form_validated(MemberIn, _member_form(request))
    team_services.member_add(actor=request.user, team_id=team.pk, **payload.dict())
    return done(request, reverse("visits:team", args=[team.pk]), _("已添加成员。"))


@login_required
@require_POST
def member_act(request, pk: int, action: str):
    from .models import TeamMember

    member = TeamMember.objects.filter(pk=pk).only("team_id").first()
    if member is None or action not in ("remove", "recorder"):
        raise not_found()
    team = selectors.team_get_for(request.user, member.team_id)
    if action == "remove":
        team_services.member_remove(actor=request.user, member_id=pk)
        text = _("已移出走访组。")
    else:
        team_services.member_set_recorder(actor=request.user, member_id=pk)
        text = _("已设为记录员。")
    return done(request, reverse("visits:team", args=[team.pk]), text)


def _may_import(user) -> bool:
    from civicloop.imports.services import import_district_for

    try:
        import_district_for(user)
    except CivicError:
        return False
    return True


PAIRINGS_PER_PAGE = 100


@login_required
def pairing_list(request):
    """Pairings by party organisation; the buildings and communities nobody is paired with, counted."""
    from civicloop.places.selectors import park_building_list_for, place_list_for

    if request.method == "POST":
        target, code = request.POST.get("target", ""), (request.POST.get("target_code") or "").strip()
        if target == PairingTarget.PARK_BUILDING:
            found = park_building_list_for(request.user).filter(code=code).values_list("pk", flat=True).first()
        else:
            found = place_list_for(request.user).filter(code=code).values_list("pk", flat=True).first()
        if code and found is None:
            raise CivicError(pairing_services.VisitErrorCode.PAIRING_INVALID,
                             _("找不到编码为 %(code)s 的园区楼宇、居委或小区。") % {"code": code})
        data = {"party_org_id": request.POST.get("party_org_id") or None, "target": target or None, "target_id": found}
        payload = form_validated(PairingIn, {k: v for k, v in data.items() if v is not None})
        pairing_services.pairing_create(actor=request.user, **payload.dict())
        return done(request, reverse("visits:pairings"), _("已结对。"))
    if not visit_permissions.may_see_campaigns(request.user):
        raise not_found()
    # paged (the demo district holds ~450): a party organisation's pairings may run on to the next page
    page = Paginator(selectors.pairings_for(request.user), PAIRINGS_PER_PAGE).get_page(request.GET.get("page"))
    by_org: dict = {}
    for p in page.object_list:
        by_org.setdefault(p.party_org, []).append(p)
    buildings = selectors.unpaired_park_buildings_for(request.user)
    communities = selectors.unpaired_communities_for(request.user)
    manager = visit_permissions.may_manage(request.user, request.user.district_id) if request.user.district_id else False
    return render(request, "visits/pairings.html", {
        "by_org": list(by_org.items()), "pairing_count": page.paginator.count, "page": page,
        "unpaired_buildings": list(buildings[:300]), "unpaired_buildings_count": buildings.count(),
        "unpaired_communities": list(communities[:300]), "unpaired_communities_count": communities.count(),
        "manager": manager, "party_orgs": selectors.party_orgs_for(request.user) if manager else [],
        "targets": PairingTarget.choices, "may_import": manager and _may_import(request.user)})


@login_required
@require_POST
def pairing_delete(request, pk: int):
    pairing_services.pairing_delete(actor=request.user, pairing_id=pk)
    return done(request, reverse("visits:pairings"), _("已解除结对。"))


# ----- coverage


def _coverage_query(request) -> UnvisitedQuery:
    """The page's filters (street, community, team — "none": no team —, group, sort) validated as the API's."""
    data = {name: request.GET[name] for name in UnvisitedQuery.model_fields if request.GET.get(name, "") != ""}
    if data.get("team") == "none":
        del data["team"]
        data["unassigned"] = True
    return form_validated(UnvisitedQuery, data)  # text from a query string: lax, refusals labelled


def _query_string(query: UnvisitedQuery, **changes) -> str:
    values = {"street": query.street, "community": query.community,
              "team": "none" if query.unassigned else query.team, "group": query.group,
              "sort": query.sort if query.sort != "walk" else None, **changes}
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _chart_data(progress) -> dict:
    return {
        "days": [d.day.isoformat() for d in progress.days],
        "visited": [d.visited for d in progress.days],
        "first_visits": [d.first_visits for d in progress.days],
        "visits": [d.visits for d in progress.days],
        "target": progress.target, "subjects": progress.subjects,
        "labels": {"visited": _("累计已走访对象"), "first_visits": _("当日首访对象"), "visits": _("当日走访次数"),
                   "target": _("目标")},
    }


def _map_data(request, campaign, cov, query: UnvisitedQuery) -> dict:
    """The district outline and what is drawn on it: streets (district level) or a street's communities as points
    coloured by coverage rate, or a community's subjects as points (visited / key group unvisited / other)."""
    outline = district_outline(Place.objects.only("code").filter(pk=campaign.district_id).first())
    data = {"outline": outline, "areas": [], "subjects": [],
            "labels": {"rate": _("覆盖率"), "visited": _("已走访"), "key": _("重点未访"), "other": _("其他未访"),
                       "subjects": _("对象"), "no_position": _("没有可显示位置的对象。")}}
    if query.community is not None:
        data["subjects"] = selectors.coverage_points_for(request.user, campaign.pk, query.community)
        return data
    rows = [r for r in cov.communities if r.key is not None] if query.street is not None else cov.streets
    for row in rows:
        if row.lat is None or row.lng is None:
            continue
        drill = _query_string(query, street=row.street_id or row.key, community=row.key if query.street else None)
        data["areas"].append({"name": row.label, "value": [row.lng, row.lat, round(100 * (row.rate or 0))],
                              "subjects": row.subjects, "visited": row.visited, "href": f"?{drill}"})
    return data


TEAMS_INLINE = 12  # more teams than this: their table loads when opened

SORT_LABELS = {"walk": gettext_lazy("走访顺序"), "street": gettext_lazy("街道"), "community": gettext_lazy("居委"),
               "team": gettext_lazy("走访组"), "group": gettext_lazy("覆盖分组")}


def _team_rows(query: UnvisitedQuery, cov, drill_q: dict) -> list[tuple]:
    """(team row, its unvisited list's query) — "none" for the subjects no team holds."""
    return [(r, _query_string(query, **{**drill_q, "team": r.key or "none"})) for r in cov.teams]


@login_required
def coverage(request, pk: int):
    """A campaign's coverage: by group (target met?), by street → its communities, by team, progress over time,
    the map, and the key-group subjects not yet visited (filtered, sorted, exported)."""
    query = _coverage_query(request)
    drill = Area(street_id=query.street, community_id=query.community)
    drill_q = dict(street=query.street, community=query.community, team=None, group=None, sort=None)
    part = request.GET.get("part")
    if part == "teams" and request.headers.get("HX-Request"):  # the team table, opened on a page with many teams
        cov = selectors.coverage_for(request.user, pk, drill)
        return render(request, "visits/_coverage_teams.html", {"team_rows": _team_rows(query, cov, drill_q)})
    campaign, cov, progress = selectors.coverage_overview_for(request.user, pk, drill)
    unvisited = selectors.unvisited_for(request.user, pk, query.area(), group=query.group, sort=query.sort)
    page = Paginator(unvisited, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.unvisited_rows(request.user, page.object_list)
    here = _query_string(query)
    area_rows = []  # (row, its drill-down — the page narrowed to it, its unvisited list included)
    if query.community is None:  # the streets, or a street's communities
        for row in cov.communities if query.street is not None else cov.streets:
            place = {"street": row.street_id, "community": row.key} if query.street is not None else {"street": row.key}
            area_rows.append((row, _query_string(query, **{**drill_q, **place}) if row.key is not None else None))
    context = {
        "campaign": campaign, "cov": cov, "progress": progress, "page": page, "query": query,
        "street_name": cov.places.get(query.street, ""), "community_name": cov.places.get(query.community, ""),
        "area_rows": area_rows,
        "group_rows": [(r, _query_string(query, **{**drill_q, "group": r.key})) for r in cov.groups],
        "team_rows": _team_rows(query, cov, drill_q),
        "total_query": _query_string(query, **drill_q),
        "key_groups": [(g.value, g.label) for g in KEY_GROUPS],
        "sort_options": [(v, label if v == k else f"{label}{_('（倒序）')}") for k, label in SORT_LABELS.items()
                         for v in (k, f"-{k}")],
        # a column's header sorts by it, and again in reverse
        "sort_links": {k: _query_string(query, sort=f"-{k}" if query.sort == k else k) for k in SORT_LABELS},
        "here": here,
        "export_url": reverse("visits:coverage_unvisited_xlsx", args=[pk]) + (f"?{here}" if here else ""),
        "chart": _chart_data(progress), "map": _map_data(request, campaign, cov, query),
    }
    # with many teams (a district: hundreds) their table is fetched when opened, or shown when asked for
    context["teams_inline"] = len(context["team_rows"]) <= TEAMS_INLINE or part == "teams"
    return render(request, "visits/coverage.html", context)


# the export's columns (header, width): translated when a workbook is written, in the request's language
UNVISITED_COLUMNS = (
    (gettext_lazy("对象类型"), 10), (gettext_lazy("覆盖分组"), 14), (gettext_lazy("地址或名称"), 44),
    (gettext_lazy("户主或联系人"), 14), (gettext_lazy("联系电话"), 16), (gettext_lazy("街道"), 16),
    (gettext_lazy("居委"), 20), (gettext_lazy("走访组"), 20),
)


@login_required
def coverage_unvisited_xlsx(request, pk: int):
    """Exactly the filtered unvisited list of the coverage page, every page of it, masked as the page shows it."""
    query = _coverage_query(request)
    campaign = selectors.campaign_get_for(request.user, pk)
    qs = selectors.unvisited_for(request.user, pk, query.area(), group=query.group, sort=query.sort)
    rows = selectors.unvisited_rows(request.user, qs.iterator(chunk_size=2000))
    columns = [Column(str(header), width=width) for header, width in UNVISITED_COLUMNS]
    data = workbook_bytes([Sheet(_("重点对象未走访"), columns=columns, rows=(
        (r.kind_label, r.group_label, r.label, r.contact, r.phone, r.street, r.community, r.team) for r in rows))])
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"{campaign.name}-{_('重点对象未走访')}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
