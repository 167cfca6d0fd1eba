"""The demo's last-month meetings: the district's and two streets', two each, held, minuted and closed; their
decisions made into cases, re-dispatches and (with the plans' demo) tasks, some done; the second pack of each scope
follows up the first's; the same seed gives the same meetings; `demo --reset` leaves nothing of them."""

import datetime as dt

import pytest

from civicloop.cases import demo as cases_demo
from civicloop.demo.generator import district_reset, generate, preset_district
from civicloop.meetings import selectors
from civicloop.meetings.constants import DecisionKind, ItemSource, MeetingState
from civicloop.meetings.models import AgendaItem, Decision, Meeting
from civicloop.orgs.models import User

SCALE = 0.005
END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_world(xuhui_demo):
    """The shared demo (conftest `xuhui_demo`: this scale, seed 1, the cases ending at END)."""
    assert xuhui_demo.scale == SCALE and xuhui_demo.seed == 1 and cases_demo.cases_end() == END


def digest(d) -> list:
    return [(m.title, str(m.date), m.street_id is None, m.state,
             list(m.items.order_by("position", "pk").values_list("source", "title", "minutes")),
             list(m.decisions.order_by("pk").values_list("kind", "text")))
            for m in Meeting.objects.filter(district=d).order_by("date", "street__code", "pk")]


def test_last_months_meetings(client):
    d = preset_district("xuhui")
    meetings = list(Meeting.objects.filter(district=d).order_by("date", "pk"))
    assert len(meetings) == 6 and {m.state for m in meetings} == {MeetingState.CLOSED}
    assert {m.date for m in meetings} == {dt.date(2026, 10, 5), dt.date(2026, 10, 19)}  # October's 1st, 3rd Mondays
    assert sum(m.street_id is None for m in meetings) == 2
    second = [m for m in meetings if m.date == dt.date(2026, 10, 19)]
    assert all(m.previous is not None and m.previous.date == dt.date(2026, 10, 5) for m in second)
    decisions = Decision.objects.filter(district=d)
    kinds = set(decisions.values_list("kind", flat=True))
    assert DecisionKind.CASE in kinds and all(x.case_id for x in decisions.exclude(kind=DecisionKind.TASK))
    assert AgendaItem.objects.filter(meeting__district=d).exclude(minutes="").exists()
    admin = User.objects.get(username="xh_admin")
    district_second = next(m for m in second if m.street_id is None)
    pack = selectors.meeting_pack_for(admin, district_second.pk)
    assert pack["earlier"]  # what came of the first meeting's decisions
    assert DecisionKind.TASK in kinds  # the plans' demo ran first: its late milestones get their tasks
    tasks = decisions.filter(kind=DecisionKind.TASK)
    assert tasks.values("item__ref_id").distinct().count() == tasks.count()  # a milestone assigned once
    if DecisionKind.TASK in kinds:  # some done, some carried on
        outcomes = [out for _d, out in pack["earlier"] if out.kind == "task"]
        assert any(o.done for o in outcomes) and not all(o.done for o in outcomes)
        assert AgendaItem.objects.filter(meeting=district_second, source=ItemSource.DECISION).exists()
    client.force_login(admin)
    assert client.get(f"/meetings/{district_second.pk}/").status_code == 200
    first = digest(d)
    district_reset(d)
    assert not Meeting.objects.exists() and not Decision.objects.exists()
    generate("xuhui", scale=SCALE, seed=1)  # as the shared demo was: the same meetings
    assert digest(preset_district("xuhui")) == first
