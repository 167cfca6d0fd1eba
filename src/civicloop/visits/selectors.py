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
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.masking import mask_free_text, mask_name, mask_phone
from civicloop.core.selectors import first_or_not_found
from civicloop.core.sql import InIds
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place
from civicloop.places.selectors import household_may_unmask

from .constants import GROUP_KIND, KEY_GROUPS, SubjectGroup
from .coverage import SORTS, Area, Coverage, CoverageRow, Day, days_series, rollup
from .models import Campaign, Subject, Team, TeamMember, Visit, VisitProblem
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


# ----- visit records, field lists, subjects (records)
#
# - a subject is seen by the staff members of its current team, and by readers (READER_ROLES) with a territory
#   covering it (district-level: the district's; a street or committee: its own) — `subjects_visible_q`;
# - a visit, by the members of the team that made it and the same territorial readers — `visits_visible_q`;
# - a subject's page shows every visit to its household or enterprise (all campaigns, all teams) and the outcome
#   of every case they raised: seeing the subject is the right to its history;
# - personal data (the head's name and phone, numbers typed into addresses, summaries and problems) is masked
#   unless the viewer may see the household's (`places.selectors.household_may_unmask`: the district's
#   administrators, its own committee) or, for a case's text, the case's reporter (`cases.permissions.may_unmask`).


def subjects_visible_q(actor) -> Q:
    """Q over Subject: its team's staff members, and territorial readers over their territory."""
    from .permissions import team_ids_of

    scope = scope_for(actor)
    if scope.sees_everything:
        return Q()
    q = Q(team_id__in=team_ids_of(actor))
    if scope.has_territory and scope.has_role(*READER_ROLES):
        q |= scope.territorial_q()
    return q


def visits_visible_q(actor) -> Q:
    """Q over Visit: the members of the team that made it, and territorial readers over their territory."""
    from .permissions import team_ids_of

    scope = scope_for(actor)
    if scope.sees_everything:
        return Q()
    q = Q(team_id__in=team_ids_of(actor))
    if scope.has_territory and scope.has_role(*READER_ROLES):
        q |= scope.territorial_q()
    return q


def teams_visible_q(actor) -> Q:
    """Q over Team: the actor's own teams, and the teams of their district's campaigns for territorial readers
    (whose field lists then hold only their territory's subjects)."""
    from .permissions import team_ids_of

    scope = scope_for(actor)
    if scope.sees_everything:
        return Q()
    q = Q(pk__in=team_ids_of(actor))
    if scope.has_territory and scope.has_role(*READER_ROLES) and scope.district_id is not None:
        q |= Q(campaign__district_id=scope.district_id)
    return q


def may_unmask_subject(actor, subject) -> bool:
    """The household's rule for a subject's personal data (an enterprise's address follows it too)."""
    from civicloop.places.selectors import household_may_unmask

    return household_may_unmask(actor, subject)  # reads district_id and community_id, which a Subject carries


def team_get_for(actor, pk: int) -> Team:
    return first_or_not_found(Team.objects.filter(teams_visible_q(actor)).select_related("campaign", "unit"), pk=pk)


def my_teams(actor) -> list[dict]:
    """The actor's teams (newest campaigns first) with their subjects to visit and visited: two queries."""
    from django.db.models import Count

    from .permissions import team_ids_of

    teams = list(Team.objects.filter(pk__in=team_ids_of(actor)).select_related("campaign")
                 .order_by("-campaign__start", "campaign_id", "name")[:100])
    counts = {row["team_id"]: row for row in Subject.objects.filter(team_id__in=[t.pk for t in teams]).order_by()
              .values("team_id").annotate(total=Count("pk"), visited=Count("pk", filter=Q(first_visited_on__isnull=False)))}
    out = []
    for team in teams:
        row = counts.get(team.pk, {"total": 0, "visited": 0})
        out.append({"team": team, "campaign": team.campaign, "total": row["total"], "visited": row["visited"],
                    "to_visit": row["total"] - row["visited"]})
    return out


def _subject_rows(actor, qs) -> list[dict]:
    """Subjects of `qs` with what a field list shows, in walk order, as flat rows (a team holds up to a few
    thousand: no model instances): the place names, and the last visit to the same household or enterprise (any
    campaign) as `last_visited_on`. The subjects first (their team's index), then their households, enterprises
    and communities by id, then the last visits grouped per household and per enterprise: on PostgreSQL one
    joined query read every household (a hash join over 180,000 rows) and a correlated subquery per row cost more."""
    from django.db.models import F, Max

    from civicloop.places.models import Enterprise, Household, Place

    rows = list(qs.order_by("walk_key", "pk").values(
        "pk", "kind", "group", "district_id", "community_id", "household_id", "enterprise_id", "visits_count",
        "first_visited_on"))
    household_ids = [r["household_id"] for r in rows if r["household_id"] is not None]
    enterprise_ids = [r["enterprise_id"] for r in rows if r["enterprise_id"] is not None]
    households = {h["pk"]: h for h in Household.objects.filter(InIds("pk", household_ids)).values(
        "pk", "address", "room", building_name=F("building__name"), compound_name=F("building__parent__name"))}
    enterprises = {e["pk"]: e for e in Enterprise.objects.filter(InIds("pk", enterprise_ids)).values(
        "pk", "name", park_building_name=F("park_building__name"))}
    communities = dict(Place.objects.filter(pk__in={r["community_id"] for r in rows}).values_list("pk", "name"))
    last = {}
    for column, ids in (("household_id", household_ids), ("enterprise_id", enterprise_ids)):
        if ids:
            for r in (Visit.objects.filter(InIds(column, ids)).order_by().values(column)
                      .annotate(last=Max("visited_on"))):
                last[(column, r[column])] = r["last"]
    nothing = {}
    for r in rows:
        h = households.get(r["household_id"], nothing)
        e = enterprises.get(r["enterprise_id"], nothing)
        column = "household_id" if r["household_id"] is not None else "enterprise_id"
        r.update(community_name=communities.get(r["community_id"], ""), address=h.get("address"), room=h.get("room"),
                 building_name=h.get("building_name"), compound_name=h.get("compound_name"),
                 enterprise_name=e.get("name"), park_building_name=e.get("park_building_name"),
                 last_visited_on=last.get((column, r[column])))
    return rows


def earlier_cases_by_record(actor, subjects) -> dict[tuple, list[dict]]:
    """The cases raised in visits to the households and enterprises of `subjects` (any campaign), as
    {("household", id) | ("enterprise", id): [case dict]} — oldest first. One query (the subjects' ids given as
    subqueries when `subjects` is a queryset)."""
    from django.utils import timezone

    from civicloop.cases.constants import CaseState, Satisfaction
    from civicloop.cases.permissions import may_unmask
    from civicloop.core.masking import mask_free_text

    if isinstance(subjects, QuerySet):
        households, enterprises = subjects.values("household_id"), subjects.values("enterprise_id")
    else:
        households = [s.household_id for s in subjects if s.household_id]
        enterprises = [s.enterprise_id for s in subjects if s.enterprise_id]
    # one query per kind of record: an OR of the two IN-subqueries is read far slower on PostgreSQL
    problems = [p for column, ids in (("visit__household_id", households), ("visit__enterprise_id", enterprises))
                for p in VisitProblem.objects.filter(InIds(column, ids) if isinstance(ids, list)
                                                     else Q(**{f"{column}__in": ids})).select_related("case", "visit")]
    problems.sort(key=lambda p: (p.visit.visited_on, p.visit_id, p.position))
    # the labels once (get_FOO_display translates and hashes every choice on each call: most of this function's
    # time with a few hundred cases)
    state_labels = {value: str(label) for value, label in CaseState.choices}
    satisfaction_labels = {value: str(label) for value, label in Satisfaction.choices}
    out: dict[tuple, list[dict]] = {}
    for p in problems:
        case, visit = p.case, p.visit
        text = case.description if may_unmask(actor, case) else mask_free_text(case.description)
        key = ("household", visit.household_id) if visit.household_id else ("enterprise", visit.enterprise_id)
        out.setdefault(key, []).append({
            "id": case.pk, "tracking_code": case.tracking_code, "summary": _short(text), "state": case.state,
            "state_label": state_labels.get(case.state, case.state),
            "resolved_on": timezone.localdate(case.resolved_at) if case.resolved_at else None,
            "awaiting_rating": case.state == CaseState.REPLIED,
            "satisfaction": case.satisfaction,
            "satisfaction_label": satisfaction_labels.get(case.satisfaction, case.satisfaction) if case.satisfaction else "",
            "raised_on": visit.visited_on, "visit_id": visit.pk,
        })
    return out


def _short(text: str, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def record_key(subject) -> tuple:
    return ("household", subject.household_id) if subject.household_id else ("enterprise", subject.enterprise_id)


def subject_place(subject, unmasked: bool) -> dict:
    """A loaded subject's label and its place in the walk: community, compound, building, room (for a household),
    or community and park building (for an enterprise)."""
    community = subject.community.name if subject.community_id else ""
    if subject.household_id:
        h = subject.household
        return place_parts(community=community, household=True, address=h.address,
                           compound=h.building.parent.name if h.building.parent_id else "", building=h.building.name,
                           room=h.room, unmasked=unmasked)
    e = subject.enterprise
    return place_parts(community=community, household=False, enterprise=e.name,
                       park_building=e.park_building.name if e.park_building_id else "", unmasked=unmasked)


def place_parts(*, community: str, household: bool, address: str | None = None, compound: str | None = None,
                building: str | None = None, room: str | None = None, enterprise: str | None = None,
                park_building: str | None = None, unmasked: bool) -> dict:
    """The label and walk places a field list shows for a household (its address — numbers typed into it masked
    unless `unmasked` —, compound, building, room) or an enterprise (its name, park building)."""
    from civicloop.core.masking import mask_free_text

    if household:
        return {"label": (address or "") if unmasked else mask_free_text(address or ""), "community": community,
                "compound": compound or "", "building": building or "", "room": room or ""}
    return {"label": enterprise or "", "community": community, "compound": "", "building": park_building or "",
            "room": ""}


def _member_name(m) -> str:
    if m.person_id:
        return m.person.name
    return m.user.display_name or m.user.username


def team_members(team) -> list[dict]:
    return [{"id": m.pk, "name": _member_name(m), "role": m.role, "role_label": str(m.get_role_display()),
             "recorder": m.recorder, "user_id": m.user_id}
            for m in team.members.select_related("user", "person").order_by("pk")]


def field_list_for(actor, team_id: int, *, team: Team | None = None) -> dict:
    """A team's field list (the offline app's JSON, the printable page): the team, members, topics, the choices,
    and its subjects the viewer may see in walk order, each with its place, visit counters and the cases raised
    in earlier visits. A constant number of queries, whatever the team's size. `team`: the team as
    `team_get_for(actor, team_id)` has just read it (the API's check before its kept body)."""
    from types import SimpleNamespace

    from django.utils import timezone

    from .constants import VisitMethod, VisitSatisfaction

    if team is None or team.pk != team_id:
        team = team_get_for(actor, team_id)
    subjects_qs = Subject.objects.filter(subjects_visible_q(actor), team_id=team.pk)
    subjects = _subject_rows(actor, subjects_qs)
    # by the rows' ids (an IN-subquery over the subjects joined visits to problems by a scan on PostgreSQL)
    earlier = earlier_cases_by_record(actor, [SimpleNamespace(household_id=r["household_id"],
                                                              enterprise_id=r["enterprise_id"]) for r in subjects])
    group_labels = {value: str(label) for value, label in SubjectGroup.choices}
    unmasked_in: dict[tuple, bool] = {}  # the masking rule reads only the district and community: once per community
    rows = []
    for r in subjects:
        where = (r["district_id"], r["community_id"])
        unmasked = unmasked_in.get(where)
        if unmasked is None:
            unmasked = unmasked_in[where] = may_unmask_subject(actor, SimpleNamespace(district_id=where[0],
                                                                                      community_id=where[1]))
        household = r["household_id"] is not None
        rows.append({"id": r["pk"], "kind": r["kind"], "group": r["group"], "group_label": group_labels[r["group"]],
                     **place_parts(community=r["community_name"] or "", household=household, address=r["address"],
                                   compound=r["compound_name"], building=r["building_name"], room=r["room"],
                                   enterprise=r["enterprise_name"], park_building=r["park_building_name"],
                                   unmasked=unmasked),
                     "visits_count": r["visits_count"], "first_visited_on": r["first_visited_on"],
                     "last_visited_on": r["last_visited_on"],
                     "earlier_cases": earlier.get(("household", r["household_id"]) if household
                                                  else ("enterprise", r["enterprise_id"]), [])})
    return {
        "team": {"id": team.pk, "name": team.name, "campaign_id": team.campaign_id, "campaign_name": team.campaign.name},
        "campaign": team.campaign,
        "members": team_members(team),
        "topics": [{"id": t.pk, "title": t.title} for t in team.campaign.topics.order_by("pk")],
        "methods": [{"value": v, "label": str(label)} for v, label in VisitMethod.choices],
        "satisfactions": [{"value": v, "label": str(label)} for v, label in VisitSatisfaction.choices],
        "subjects": rows,
        "generated_at": timezone.now(),
    }


def subject_get_for(actor, pk: int) -> Subject:
    qs = Subject.objects.filter(subjects_visible_q(actor)).select_related(
        "campaign", "team", "community", "household__building__parent", "enterprise__park_building").defer(
        "community__boundary", "household__building__boundary", "household__building__parent__boundary")
    return first_or_not_found(qs, pk=pk)


def visits_for(actor, *, campaign_id: int | None = None, subject_id: int | None = None,
               team_id: int | None = None) -> QuerySet:
    """The visits the actor may see, newest first, with what a row shows (problems and their cases prefetched)."""
    qs = Visit.objects.filter(visits_visible_q(actor))
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    return qs.select_related("team").prefetch_related("problems__case").order_by("-visited_on", "-pk")


def visits_shown(actor, visits) -> list:
    """Loaded visits as `actor` may see them: the summary's numbers masked without the household's right."""
    from civicloop.core.masking import mask_for_display

    return [v if may_unmask_subject(actor, v) else mask_for_display(v, "summary") for v in visits]


def subject_history_for(actor, pk: int) -> dict:
    """A subject's page: the subject (head masked unless the viewer has the right), every visit to its household
    or enterprise in any campaign with its members, problems and follow-ups, and the outcome of every case they
    raised; the cases the viewer may open on their own page (`case_ids_linked`)."""
    from django.db.models import Prefetch

    from civicloop.cases.selectors import cases_visible_to
    from civicloop.core.masking import mask_free_text, mask_name, mask_phone

    from .models import FollowUp

    subject = subject_get_for(actor, pk)
    unmasked = may_unmask_subject(actor, subject)
    record = Q(household_id=subject.household_id) if subject.household_id else Q(enterprise_id=subject.enterprise_id)
    visits = list(Visit.objects.filter(record).select_related("campaign", "team", "topic", "recorded_by")
                  .prefetch_related(Prefetch("members", TeamMember.objects.select_related("user", "person")),
                                    Prefetch("problems", VisitProblem.objects.select_related("case")),
                                    Prefetch("follow_ups", FollowUp.objects.select_related("case")))
                  .order_by("-visited_on", "-pk"))
    earlier = earlier_cases_by_record(actor, [subject]).get(record_key(subject), [])
    case_ids = [c["id"] for c in earlier]
    linked = set(cases_visible_to(actor).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    outcome = {c["id"]: c for c in earlier}
    shown = (lambda text: text) if unmasked else mask_free_text
    history = []
    for v in visits:
        history.append({
            "id": v.pk, "campaign": v.campaign.name, "campaign_id": v.campaign_id, "team": v.team.name,
            "team_id": v.team_id, "topic": v.topic.title if v.topic_id else "", "visited_on": v.visited_on,
            "method": v.method, "method_label": str(v.get_method_display()), "satisfaction": v.satisfaction,
            "satisfaction_label": str(v.get_satisfaction_display()), "summary": shown(v.summary),
            "members": [_member_name(m) for m in v.members.all()],
            "recorded_by": (v.recorded_by.display_name or v.recorded_by.username),
            "problems": [{"position": p.position, "description": shown(p.description), **outcome.get(p.case_id, {
                "id": p.case_id, "tracking_code": p.case.tracking_code})} for p in v.problems.all()],
            "follow_ups": [{"case_id": f.case_id, "tracking_code": f.case.tracking_code, "satisfaction": f.satisfaction,
                            "satisfaction_label": str(f.get_satisfaction_display()), "note": shown(f.note),
                            "rated": f.rated} for f in v.follow_ups.all()],
        })
    head = {}
    if subject.household_id:
        h = subject.household
        head = {"name": h.head_name if unmasked else mask_name(h.head_name),
                "phone": h.head_phone if unmasked else mask_phone(h.head_phone)}
    else:
        e = subject.enterprise
        head = {"name": e.contact_name if unmasked else mask_name(e.contact_name),
                "phone": e.contact_phone if unmasked else mask_phone(e.contact_phone)}
    return {"subject": subject, "place": subject_place(subject, unmasked), "head": head, "unmasked": unmasked,
            "visits": history, "earlier_cases": earlier, "case_ids_linked": linked}


# ----- offline (the field app)


def field_teams_for(actor) -> QuerySet[Team]:
    """The teams whose field list and visit form the offline field app offers `actor`: those they sit on by
    staff account, active, in a running campaign (a visit can be recorded for nothing else)."""
    from .permissions import team_ids_of, working_teams_q

    return (Team.objects.filter(working_teams_q(), pk__in=team_ids_of(actor))
            .select_related("campaign").order_by("campaign__start", "name", "pk"))


# ----- campaigns, pairing, teams, assignment


def campaign_topics(actor, campaign: Campaign) -> QuerySet:
    """The topics of a campaign the actor has already read (`campaign_get_for`)."""
    from .models import Topic

    return Topic.objects.filter(campaign=campaign).select_related("leader").order_by("pk")


def campaign_teams(actor, campaign: Campaign) -> list:
    """The campaign's teams with their members (staff and people loaded), each with `gaps` (what it lacks under
    the campaign's rule and for a recorder: empty when complete) and `subject_count` (in the actor's sight)."""
    from django.db.models import Prefetch

    from .models import Team, TeamMember
    from .team_rule import team_gaps

    members = TeamMember.objects.select_related("user", "person").order_by("pk")
    teams = list(Team.objects.filter(campaign=campaign).select_related("unit")
                 .prefetch_related(Prefetch("members", queryset=members)).order_by("name", "pk"))
    counts = team_subject_counts(actor, campaign)
    for team in teams:
        team.gaps = team_gaps(campaign.team_rule, team.members.all())
        team.subject_count = counts.get(team.pk, 0)
    return teams


def subjects_in_sight(actor, campaign: Campaign) -> QuerySet:
    """The campaign's subjects the actor may count: all for district-level staff (and a superuser), the
    territory's for street and committee staff, their own teams' for a team member without territory."""
    from .models import Subject

    scope = scope_for(actor)
    qs = Subject.objects.filter(campaign=campaign)
    if scope.sees_everything or scope.is_district_level_for(campaign.district_id):
        return qs
    q = scope.territorial_q() if scope.has_territory and scope.district_id == campaign.district_id else Q(pk__in=[])
    if getattr(actor, "pk", None):
        q |= Q(team__members__user_id=actor.pk)
    return qs.filter(q).distinct()


def team_subject_counts(actor, campaign: Campaign) -> dict:
    """{team id (None: unassigned): subjects} in the actor's sight, in one grouped query."""
    from django.db.models import Count

    rows = (subjects_in_sight(actor, campaign).order_by().values("team_id").annotate(n=Count("pk", distinct=True)))
    return {r["team_id"]: r["n"] for r in rows}


def subject_group_counts(actor, campaign: Campaign) -> dict:
    """{SubjectGroup: subjects} in the actor's sight."""
    from django.db.models import Count

    rows = subjects_in_sight(actor, campaign).order_by().values("group").annotate(n=Count("pk", distinct=True))
    return {r["group"]: r["n"] for r in rows}


def team_member_rows(team) -> QuerySet:
    from .models import TeamMember

    return TeamMember.objects.filter(team=team).select_related("user", "person").order_by("pk")


def pairings_for(actor) -> QuerySet:
    """Pairings are standing district-level rows: the district's, for those who read its campaigns."""
    from .models import Pairing
    from .permissions import may_see_campaigns

    scope = scope_for(actor)
    qs = Pairing.objects.select_related("party_org", "park_building", "place").order_by("party_org__code", "pk")
    if scope.sees_everything:
        return qs
    if scope.district_id is None or not may_see_campaigns(actor):
        return qs.none()
    return qs.filter(district_id=scope.district_id)


def unpaired_park_buildings_for(actor) -> QuerySet:
    """Park buildings in the actor's sight that no party organisation is paired with."""
    from civicloop.places.selectors import park_building_list_for

    from .models import Pairing

    paired = Pairing.objects.filter(park_building__isnull=False).values("park_building_id")
    return park_building_list_for(actor).exclude(pk__in=paired)


def unpaired_communities_for(actor) -> QuerySet:
    """Communities in the actor's sight paired neither themselves nor through any of their compounds."""
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Place
    from civicloop.places.selectors import place_list_for

    from .models import Pairing

    paired_places = Pairing.objects.filter(place__isnull=False).values("place_id")
    partly = Place.objects.filter(pk__in=paired_places, level=PlaceLevel.COMPOUND).values("community_id")
    return (place_list_for(actor, level=PlaceLevel.COMMUNITY).exclude(pk__in=paired_places).exclude(pk__in=partly)
            .select_related("street").order_by("code"))


def party_orgs_for(actor) -> QuerySet:
    """The district's agency party organisations (for pairing forms and the pairings page)."""
    from civicloop.orgs.constants import UnitKind
    from civicloop.orgs.selectors import unit_list_for

    return unit_list_for(actor, kind=UnitKind.PARTY_ORG, active_only=True)


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


def _coverage(actor, campaign: Campaign, area: Area, as_of: dt.date | None = None) -> Coverage:
    """`as_of`: count as visited only the subjects first visited by that day's end (a past week's report)."""
    visited = Count("first_visited_on", filter=Q(first_visited_on__lte=as_of)) if as_of else Count("first_visited_on")
    cells = (_subjects(actor, campaign, area).order_by()
             .values_list("street_id", "community_id", "team_id", "group")
             .annotate(n=Count("*"), visited=visited))
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


def coverage_overview_for(actor, campaign_id: int, area: Area = Area(), *, today: dt.date | None = None,
                          as_of: dt.date | None = None) -> tuple[Campaign, Coverage, Progress]:
    """The campaign, `coverage_for` and `progress_for` with the campaign read once (the page, the API, the
    dashboard's weekly report — which passes `as_of`, the week's last day: coverage as it stood then).

    Today's figures are kept (`field_list_cache.kept`) with the campaign's coverage version — set by triggers on
    everything they count or name (migration 0002) — per viewer's view (scope and teams in the campaign), area,
    day and language: read again while nothing changed, they cost the version, the campaign and the area's check.
    The version is read first, before any row the figures come from."""
    if as_of is not None:
        campaign = campaign_get_for(actor, campaign_id)
        _area_check(actor, campaign, area)
        coverage = _coverage(actor, campaign, area, as_of)
        return campaign, coverage, _progress(actor, campaign, area, today=today, totals=coverage.total)
    campaign, packed = coverage_overview_shaped(actor, campaign_id, area, today=today, shape=_pack)
    return campaign, *_unpack(packed, campaign.targets)


# The figures kept as tuples of plain values (a kept read rebuilds the rows): unpickling ~2,700 dataclass
# instances cost more than building them from tuples (and more than the grouped query it saves on a loaded host).


def _pack(cov: Coverage, progress: Progress) -> tuple:
    def rows(rows: Iterable[CoverageRow]) -> list[tuple]:
        return [(r.key, r.label, r.code, r.street_id, r.lat, r.lng,
                 tuple((g, t.subjects, t.visited) for g, t in r.tallies.items())) for r in rows]

    return (cov.places, rows([cov.total])[0], rows(cov.groups), rows(cov.streets), rows(cov.communities),
            rows(cov.teams), progress.subjects, progress.target,
            [(d.day, d.visits, d.first_visits, d.visited) for d in progress.days])


def _unpack(packed: tuple, targets: dict) -> tuple[Coverage, Progress]:
    from .coverage import Tally

    def row(t: tuple) -> CoverageRow:
        key, label, code, street_id, lat, lng, tallies = t
        return CoverageRow(key, label, tallies={g: Tally(n, v) for g, n, v in tallies}, targets=targets, code=code,
                           street_id=street_id, lat=lat, lng=lng)

    places, total, groups, streets, communities, teams, subjects, target, days = packed
    coverage = Coverage(places=places, total=row(total), groups=[row(t) for t in groups],
                        streets=[row(t) for t in streets], communities=[row(t) for t in communities],
                        teams=[row(t) for t in teams])
    return coverage, Progress(subjects=subjects, target=target, days=[Day(*d) for d in days])


def coverage_overview_shaped(actor, campaign_id: int, area: Area = Area(), *, today: dt.date | None = None,
                             shape, shape_name: str = "figures") -> tuple:
    """(campaign, shape(coverage, progress)) — today's overview as `coverage_overview_for` reads it, in the form
    the caller keeps (`shape_name`: the figures for the page, the API's body as bytes)."""
    from . import field_list_cache

    version = field_list_cache.coverage_version(campaign_id)
    campaign = campaign_get_for(actor, campaign_id)
    _area_check(actor, campaign, area)
    today = today or timezone.localdate()

    def build():
        coverage = _coverage(actor, campaign, area)
        return shape(coverage, _progress(actor, campaign, area, today=today, totals=coverage.total))

    view = (*field_list_cache.scope_key(actor), tuple(sorted(_teams_of(actor, campaign))))
    key = field_list_cache.key_of(f"coverage:{campaign.pk}:{shape_name}", (view, area, today),
                                  translation.get_language() or "")
    return campaign, field_list_cache.kept(key, version, build)


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
