"""Readers for the visits app. Every function takes the acting user; what they may not see answers not found.

- campaigns: the district's, for district-level staff and territorial staff (their territory's subjects only)
  and for the members of its teams;
- coverage (`coverage_for`, `progress_for`, `unvisited_for`, `coverage_points_for`): the campaign's subjects in
  the viewer's scope — district-level readers all, a street's staff their street, a committee its community, a
  team member their teams' — counted by grouped queries over Subject, never one query per row;
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.masking import mask_free_text, mask_name, mask_phone
from civicloop.core.selectors import first_or_not_found
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place
from civicloop.places.selectors import household_may_unmask

from .constants import GROUP_KIND, KEY_GROUPS
from .coverage import SORTS, Area, Coverage, CoverageRow, Day, days_series, rollup
from .models import Campaign, Subject, Team, TeamMember, Visit
from .permissions import READER_ROLES


def campaigns_for(actor) -> QuerySet[Campaign]:
    """The campaigns `actor` may read: their district's (territorial reader), or those of their teams."""
    scope = scope_for(actor)
    if scope.sees_everything:
        return Campaign.objects.all()
    # a subquery, not a join: no DISTINCT over the campaign's teams × members on every coverage read
    mine = TeamMember.objects.filter(user_id=actor.pk).values("team__campaign_id")
    q = Q(pk__in=mine) if getattr(actor, "pk", None) else Q(pk__in=[])
    if scope.has_territory and scope.has_role(*READER_ROLES) and scope.district_id is not None:
        q |= Q(district_id=scope.district_id)
    return Campaign.objects.filter(q)


def campaign_get_for(actor, pk: int) -> Campaign:
    return first_or_not_found(campaigns_for(actor), pk=pk)


# ----- coverage


def _subjects_q(actor, campaign: Campaign, *, team: str = "team") -> Q:
    """The campaign's subjects `actor` may count and list: a territorial reader their territory (district-level
    staff: the whole campaign; a street's staff: their street; a committee: its community), a team member their
    teams' subjects — both, for a territorial reader who also sits on a team. Over Subject, or over Visit (the
    same district/street/community columns; `team="subject__team"`: the visited subject's team)."""
    scope = scope_for(actor)
    reader = scope.has_territory and scope.has_role(*READER_ROLES)
    if scope.sees_everything or (reader and scope.is_district_level_for(campaign.district_id)):
        return Q()  # the whole campaign (no OR, no join: the overview stays a scan of one campaign's rows)
    q = Q(pk__in=[])
    if reader:
        q = scope.territorial_q()
    mine = _teams_of(actor, campaign)
    if mine:  # no OR at all for the many readers on no team: the planner keeps the territory's index
        q |= Q(**{f"{team}_id__in": mine})
    return q


def _teams_of(actor, campaign: Campaign) -> list[int]:
    """The teams of `campaign` that `actor` sits on (read once per request and campaign)."""
    if not getattr(actor, "pk", None):
        return []
    cache = actor.__dict__.setdefault("_civicloop_visit_teams", {})
    if campaign.pk not in cache:
        cache[campaign.pk] = list(TeamMember.objects.filter(user_id=actor.pk, team__campaign_id=campaign.pk)
                                  .order_by().values_list("team_id", flat=True))
    return cache[campaign.pk]


def _area_check(actor, campaign: Campaign, area: Area) -> None:
    """Each street, community and team `area` names must be one the viewer may name (a street or community of
    their territory or of their subjects', a team of this campaign); else not found, like a missing one."""
    if area.street_id is not None:
        _place_in_sight(actor, campaign, area.street_id, PlaceLevel.STREET)
    if area.community_id is not None:
        _place_in_sight(actor, campaign, area.community_id, PlaceLevel.COMMUNITY)
    if area.team_id is not None and not Team.objects.filter(pk=area.team_id, campaign_id=campaign.pk).exists():
        raise not_found()


def _area_q(area: Area, *, team: str = "team") -> Q:
    """`area` as a filter over Subject (or Visit: `team="subject__team"`)."""
    q = Q()
    if area.street_id is not None:
        q &= Q(street_id=area.street_id)
    if area.community_id is not None:
        q &= Q(community_id=area.community_id)
    if area.team_id is not None:
        q &= Q(**{f"{team}_id": area.team_id})
    elif area.unassigned:
        q &= Q(**{f"{team}__isnull": True})
    return q


def _place_in_sight(actor, campaign: Campaign, place_id: int, level: str) -> None:
    scope = scope_for(actor)
    place = Place.objects.filter(pk=place_id, level=level).only("pk", "path").first()
    if place is None:
        raise not_found()
    if scope.has_territory and scope.has_role(*READER_ROLES) and scope.covers_place(place):
        return
    # a team member names the street or community of one of their subjects
    column = "street_id" if level == PlaceLevel.STREET else "community_id"
    if not Subject.objects.filter(_subjects_q(actor, campaign), campaign_id=campaign.pk, **{column: place_id}).exists():
        raise not_found()


def coverage_subjects_for(actor, campaign: Campaign, area: Area = Area()) -> QuerySet[Subject]:
    """The campaign's subjects in the viewer's scope and `area` (every coverage number counts these)."""
    _area_check(actor, campaign, area)
    return _subjects(actor, campaign, area)


def _subjects(actor, campaign: Campaign, area: Area) -> QuerySet[Subject]:
    return Subject.objects.filter(_subjects_q(actor, campaign), _area_q(area), campaign_id=campaign.pk)


def _sorted_grouping(qs) -> list:
    """Rows of the grouped cells query. On PostgreSQL it is read with hash aggregation off for this one statement:
    grouping in the order of the covering index (Subject `subject_coverage_cells`, an index-only scan, no hash
    table) takes about half the time of the seq scan + hash aggregate the planner prefers at 195,000 subjects
    (docs/benchmarks.md). The setting is put back before anything else runs in the transaction."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return list(qs)
    with transaction.atomic(using=qs.db), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_hashagg = off")
        try:
            return list(qs)
        finally:
            cursor.execute("RESET enable_hashagg")


def coverage_for(actor, campaign_id: int, area: Area = Area()) -> Coverage:
    """Visited / subjects / target / rate of the campaign by group, street, community and team, in the viewer's
    scope and `area`: one grouped query over Subject (street × community × team × group) summed in Python
    (`coverage.rollup`), then one query for the places' names and one for the teams'."""
    campaign = campaign_get_for(actor, campaign_id)
    _area_check(actor, campaign, area)
    return _coverage(actor, campaign, area)


def _coverage(actor, campaign: Campaign, area: Area) -> Coverage:
    cells = (_subjects(actor, campaign, area).order_by()
             .values_list("street_id", "community_id", "team_id", "group")
             .annotate(n=Count("*"), visited=Count("first_visited_on")))
    total, groups, streets, communities, teams = rollup(_sorted_grouping(cells), campaign.targets)
    named = [*streets, *filter(None, communities), area.street_id, area.community_id]
    places = {p["pk"]: p for p in Place.objects.filter(pk__in=[k for k in named if k is not None])
              .values("pk", "code", "name", "lat", "lng")}
    for rows in (streets, communities):
        for key, row in rows.items():
            place = places.get(key)
            if place is None:
                row.label = str(_("（无居委）"))
                row.code = "~"
                continue
            row.label, row.code = place["name"], place["code"]
            row.lat = float(place["lat"]) if place["lat"] is not None else None
            row.lng = float(place["lng"]) if place["lng"] is not None else None
    names = dict(Team.objects.filter(pk__in=[k for k in teams if k is not None]).order_by().values_list("pk", "name"))
    for key, row in teams.items():
        row.label = names.get(key, "") if key is not None else str(_("未分配走访组"))
    return Coverage(
        places={pk: p["name"] for pk, p in places.items()},
        total=total,
        # the groups of the campaign's subject kinds (an enterprise group in a households-only campaign is not shown)
        groups=[row for row in groups.values() if row.subjects or GROUP_KIND[row.key] in campaign.subject_kinds],
        streets=sorted(streets.values(), key=lambda r: r.code),
        communities=sorted(communities.values(), key=lambda r: r.code),
        teams=sorted(teams.values(), key=lambda r: (r.key is None, r.label)),
    )


@dataclass(frozen=True)
class Progress:
    subjects: int
    target: int
    days: list[Day]


def progress_for(actor, campaign_id: int, area: Area = Area(), *, today: dt.date | None = None) -> Progress:
    """Visits and first visits per day, and the subjects visited by each day's end, in the viewer's scope and
    `area`: three grouped queries (first visits by day and the totals by group over Subject; visits by day over
    Visit)."""
    campaign = campaign_get_for(actor, campaign_id)
    _area_check(actor, campaign, area)
    return _progress(actor, campaign, area, today=today)


def _progress(actor, campaign: Campaign, area: Area, *, today: dt.date | None = None,
              totals: CoverageRow | None = None) -> Progress:
    """`totals`: the area's total row when `_coverage` has just counted it (one grouped query fewer)."""
    subjects = _subjects(actor, campaign, area).order_by()
    first = dict(subjects.filter(first_visited_on__isnull=False).values_list("first_visited_on")
                 .annotate(n=Count("*")).values_list("first_visited_on", "n"))
    if totals is None:
        totals = CoverageRow(None, "", targets=campaign.targets)
        for group, n in subjects.values_list("group").annotate(n=Count("*")).values_list("group", "n"):
            totals.add(group, n, 0)
    in_sight = Visit.objects.filter(_subjects_q(actor, campaign, team="subject__team"),
                                    _area_q(area, team="subject__team"), campaign_id=campaign.pk)
    visits = dict(in_sight.order_by().values_list("visited_on").annotate(n=Count("*")).values_list("visited_on", "n"))
    days = days_series(first, visits, start=campaign.start, end=campaign.end, today=today or timezone.localdate())
    return Progress(subjects=totals.subjects, target=totals.target, days=days)


def coverage_overview_for(actor, campaign_id: int, area: Area = Area(), *,
                          today: dt.date | None = None) -> tuple[Campaign, Coverage, Progress]:
    """The campaign, `coverage_for` and `progress_for` with the campaign read once (the page and the API)."""
    campaign = campaign_get_for(actor, campaign_id)
    _area_check(actor, campaign, area)
    coverage = _coverage(actor, campaign, area)
    return campaign, coverage, _progress(actor, campaign, area, today=today, totals=coverage.total)


def unvisited_for(actor, campaign_id: int, area: Area = Area(), *, group: str | None = None,
                  sort: str = "walk") -> QuerySet[Subject]:
    """The key-group subjects not yet visited ("沉默的少数"), in the viewer's scope and `area`, of one key group
    or both, in the order `sort` (coverage.SORTS, "-" for descending). Its count is `key_unvisited` of the
    coverage row with the same filter."""
    campaign = campaign_get_for(actor, campaign_id)
    groups = [group] if group else list(KEY_GROUPS)
    if not set(groups) <= set(KEY_GROUPS):
        raise CivicError(ErrorCode.INVALID)
    desc = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"))
    if fields is None:
        raise CivicError(ErrorCode.INVALID)
    order = [F(f).desc(nulls_last=True) if desc else F(f).asc(nulls_last=True) for f in (*fields, "pk")]
    return (coverage_subjects_for(actor, campaign, area).filter(group__in=groups, first_visited_on__isnull=True)
            .select_related("street", "community", "team").order_by(*order)
            # the page's rows only: joined before the sort, they would be read for the whole list
            .prefetch_related("household", "enterprise"))


@dataclass(frozen=True)
class UnvisitedRow:
    """An unvisited key-group subject as the viewer may see it (personal data masked)."""

    id: int
    kind: str
    kind_label: str
    group: str
    group_label: str
    label: str  # the household's address or the enterprise's name
    contact: str  # the household head or the enterprise's contact, masked
    phone: str  # masked
    street: str
    community: str
    team: str


def unvisited_rows(actor, subjects: Iterable[Subject]) -> list[UnvisitedRow]:
    """`subjects` (from `unvisited_for`) as rows: names and phones always masked (a reveal is a logged service of
    places), numbers typed into an address masked unless the viewer may see that household's data."""
    rows = []
    for s in subjects:
        obj = s.household if s.household_id else s.enterprise
        if s.household_id:
            label, contact, phone = obj.address, obj.head_name, obj.head_phone
        else:
            label, contact, phone = obj.name, obj.contact_name, obj.contact_phone
        if s.household_id and not household_may_unmask(actor, obj):
            label = mask_free_text(label)
        rows.append(UnvisitedRow(
            id=s.pk, kind=s.kind, kind_label=str(s.get_kind_display()), group=s.group,
            group_label=str(s.get_group_display()), label=label, contact=mask_name(contact), phone=mask_phone(phone),
            street=s.street.name, community=s.community.name if s.community_id else "",
            team=s.team.name if s.team_id else ""))
    return rows


# The most points a community's map draws (a committee has a few hundred households).
MAP_POINTS_MAX = 3000


def coverage_points_for(actor, campaign_id: int, community_id: int) -> list[list]:
    """The subjects of one community with a position, for the map: [lng, lat, state] with state "visited",
    "key" (a key-group subject not yet visited) or "other" — no names or addresses. One query."""
    campaign = campaign_get_for(actor, campaign_id)
    rows = (coverage_subjects_for(actor, campaign, Area(community_id=community_id)).order_by("pk")
            .values_list("group", "first_visited_on", "household__lat", "household__lng", "enterprise__lat",
                         "enterprise__lng")[:MAP_POINTS_MAX])
    points = []
    for group, visited_on, h_lat, h_lng, e_lat, e_lng in rows:
        lat, lng = (h_lat, h_lng) if h_lat is not None else (e_lat, e_lng)
        if lat is None or lng is None:
            continue
        state = "visited" if visited_on else ("key" if group in KEY_GROUPS else "other")
        points.append([float(lng), float(lat), state])
    return points
