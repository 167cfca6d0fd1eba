"""The visits pages. They call selectors and services, never api.py."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.validation import error_details
from civicloop.core.xlsx import Column, Sheet, workbook_bytes
from civicloop.places.models import Place
from civicloop.places.outlines import district_outline

from . import selectors
from .constants import KEY_GROUPS
from .coverage import Area, UnvisitedQuery


@login_required
def campaigns(request):
    return render(request, "visits/campaigns.html", {"campaigns": selectors.campaigns_for(request.user)[:200]})


@login_required
def mine(request):
    """The person's teams and their field lists (filled by the field-list work)."""
    return render(request, "visits/mine.html", {"campaigns": selectors.campaigns_for(request.user)[:200]})


# ----- coverage


def _coverage_query(request) -> UnvisitedQuery:
    """The page's filters (street, community, team — "none": no team —, group, sort) validated as the API's."""
    data = {name: request.GET[name] for name in UnvisitedQuery.model_fields if request.GET.get(name, "") != ""}
    if data.get("team") == "none":
        del data["team"]
        data["unassigned"] = True
    try:
        return UnvisitedQuery.model_validate(data, strict=False)  # text from a query string: lax
    except ValidationError as exc:
        details = [{**d, "where": ""} for d in error_details(exc.errors(), model=UnvisitedQuery)]
        raise CivicError(ErrorCode.INVALID, details=details) from None


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
