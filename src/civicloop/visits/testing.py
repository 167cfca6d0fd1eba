"""Test helpers for the visits app: a running campaign, a full "1+3+1" team, subjects — on top of
`civicloop.testing.build_world()`. Rows are written directly (tests of the services write through them)."""

from __future__ import annotations

import datetime as dt

from civicloop.orgs.constants import PersonKind, Role, UnitKind
from civicloop.orgs.models import Person, Unit
from civicloop.places.models import Household, Tag
from civicloop.testing import make_user

from .constants import CampaignState, MemberRole, SubjectKind
from .models import Campaign, Subject, Team, TeamMember
from .subjects import subject_fields

PEOPLE = ((PersonKind.PARTY_REP, MemberRole.PARTY_REP), (PersonKind.NPC_DEPUTY, MemberRole.NPC_DEPUTY),
          (PersonKind.CPPCC_MEMBER, MemberRole.CPPCC_MEMBER), (PersonKind.LAWYER, MemberRole.LAWYER))


def make_campaign(world, *, state: str = CampaignState.RUNNING, name: str = "2026年大走访") -> Campaign:
    return Campaign.objects.create(district=world.district, name=name, start=dt.date(2026, 3, 1),
                                   end=dt.date(2026, 12, 31), state=state)


def make_party_org(world, code: str = "U-PO1", name: str = "区房管局机关党委") -> Unit:
    return Unit.objects.create(code=code, name=name, kind=UnitKind.PARTY_ORG, district=world.district)


def make_team(campaign: Campaign, unit: Unit, recorder=None, *, name: str = "第一走访组", full: bool = True) -> Team:
    """A team with a recorder (a staff account, created when not given: role visit_member in `unit`) and, when
    `full`, the people that fill the 1+3+1 rule (a cadre, three representatives, a lawyer)."""
    team = Team.objects.create(district=campaign.district, campaign=campaign, name=name, unit=unit)
    if recorder is None:
        recorder = make_user(f"rec-{team.pk}", unit, Role.VISIT_MEMBER)
    TeamMember.objects.create(team=team, role=MemberRole.STAFF, user=recorder, recorder=True)
    if full:
        kinds = ((PersonKind.CADRE, MemberRole.LEAD_CADRE),) + PEOPLE
        for i, (kind, role) in enumerate(kinds):
            person = Person.objects.create(district=campaign.district, code=f"P-{team.pk}-{i}", name=f"成员{i}",
                                           kind=kind, unit=unit if kind == PersonKind.CADRE else None)
            TeamMember.objects.create(team=team, role=role, person=person)
    return team


def make_subject(campaign: Campaign, obj, team: Team | None = None) -> Subject:
    """A subject of `campaign` for a household or an enterprise, in its group, assigned to `team`."""
    kind = SubjectKind.HOUSEHOLD if isinstance(obj, Household) else SubjectKind.ENTERPRISE
    key_tags = set(Tag.objects.filter(key_group=True).values_list("pk", flat=True))
    tag_ids = set(obj.tags.values_list("pk", flat=True))
    if kind == SubjectKind.HOUSEHOLD:
        obj = Household.objects.select_related("building").get(pk=obj.pk)
    return Subject.objects.create(campaign=campaign, team=team,
                                  **subject_fields(obj, kind=kind, key_tag_ids=key_tags, tag_ids=tag_ids))


def as_if_committed() -> None:
    """Where a test's writes would have committed: the transaction's version token forgotten (PostgreSQL,
    migration 0003), so the next write sets the versions it touches afresh and a body read after it may be kept —
    as in a new transaction. A test runs in one transaction that never commits."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('civicloop.version_token', '', true)")
