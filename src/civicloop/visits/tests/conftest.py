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
