import pytest


@pytest.fixture
def field(world):
    """A running campaign with a party organisation's full team (recorder `world.recorder`), and subjects: the two
    households of street A (A1, A2) on that team; the one of street B on a second team of the same campaign."""
    from types import SimpleNamespace

    from civicloop.places.models import Household
    from civicloop.visits.testing import make_campaign, make_party_org, make_subject, make_team

    campaign = make_campaign(world)
    org = make_party_org(world)
    team = make_team(campaign, org)
    other_org = make_party_org(world, code="U-PO2", name="区教育局机关党委")
    other_team = make_team(campaign, other_org, name="第二走访组")
    h_a1 = Household.objects.get(community=world.comm_a1)
    h_a2 = Household.objects.get(community=world.comm_a2)
    h_b1 = Household.objects.get(community=world.comm_b1)
    return SimpleNamespace(
        campaign=campaign, org=org, team=team, other_team=other_team,
        recorder=team.members.get(recorder=True).user, other_recorder=other_team.members.get(recorder=True).user,
        h_a1=h_a1, h_a2=h_a2, h_b1=h_b1,
        s_a1=make_subject(campaign, h_a1, team), s_a2=make_subject(campaign, h_a2, team),
        s_b1=make_subject(campaign, h_b1, other_team),
    )


@pytest.fixture
def cats(db):
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def record(field):
    """`record(actor=…, subject=…, **overrides)`: visit_record with a fresh client id and plausible values."""
    import datetime as dt
    import uuid

    from civicloop.visits.services.records import visit_record

    def record(actor=None, subject=None, **kw):
        kw.setdefault("client_id", uuid.uuid4())
        kw.setdefault("visited_on", dt.date(2026, 11, 30))
        kw.setdefault("method", "door")
        kw.setdefault("summary", "老人身体尚可，谈到楼道和垃圾问题")
        kw.setdefault("satisfaction", "satisfied")
        return visit_record(actor=actor or field.recorder, subject_id=(subject or field.s_a1).pk, **kw)

    return record
