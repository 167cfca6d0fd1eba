"""The demo's cases (cases/demo.py): every generated case equals the replay of its events, the lifecycles are
varied, the data is deterministic, the services keep working on top of it, and `demo --reset` removes it."""

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from civicloop.cases import demo as cases_demo
from civicloop.cases import services
from civicloop.cases.constants import FINAL_STATES, Action, CaseState, Channel
from civicloop.cases.events import snapshot
from civicloop.cases.models import Case, CaseEvent, Reply, Supervision
from civicloop.cases.replay import replay
from civicloop.cases.transitions import next_state
from civicloop.demo.generator import district_reset, generate, preset_district
from civicloop.orgs.models import User

SCALE = 0.002  # 1,000 cases
END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_end(monkeypatch):
    monkeypatch.setattr(cases_demo, "cases_end", lambda: END)


def _events_by_case(district) -> dict[int, list]:
    out = defaultdict(list)
    for e in CaseEvent.objects.filter(district=district).order_by("case_id", "seq"):
        out[e.case_id].append(e)
    return out


def test_every_generated_case_is_the_replay_of_its_events(xuhui_demo):
    stats = xuhui_demo  # the shared demo (conftest): every app's steps, seed 1
    district = preset_district("xuhui")
    cases = list(Case.objects.filter(district=district).prefetch_related("co_unit_links"))
    assert len(cases) == stats.counts["cases.case"]
    # the visits demo registers the problems its visits heard through cases.demo as well (external id "<visit>:<n>"),
    # and the assessment demo its findings' rectification cases ("assess-finding-<id>"); the meetings demo's
    # decisions register theirs through the cases services ("MD<decision>"), and the signs demo its alarms'
    # (the hall's passed votes theirs, channel "deliberation", "HV<vote>"; the duplicates demo its elevator reports,
    # "DUPES-DEMO-<n>")
    own = [c for c in cases if not (c.channel in (Channel.VISIT, Channel.CITIZEN_INSPECTION, Channel.MEETING,
                                                  Channel.DELIBERATION)
                                    and c.external_id or c.external_id.startswith(("signs:", "DUPES-DEMO-")))]
    assert len(own) == round(cases_demo.CASES_AT_SCALE_1 * stats.scale) < len(cases)
    events = _events_by_case(district)
    assert sum(len(v) for v in events.values()) == stats.counts["cases.case_event"]
    for case in cases:
        log = events[case.pk]
        assert [e.seq for e in log] == list(range(1, case.version + 1)), case.tracking_code
        assert replay(log) == snapshot(case), case.tracking_code
        # every step is allowed by the transition table, in time order
        state = None
        for e in log:
            if e.action != Action.REGISTER:
                assert next_state(state, e.action) == e.after.get("state", state), (case.tracking_code, e.action)
            state = e.after.get("state", state)
        assert [e.at for e in log] == sorted(e.at for e in log), case.tracking_code
        assert END - dt.timedelta(days=731) <= case.created_at <= END
        if case.state == CaseState.CLOSED:
            assert case.replied_at is not None  # no close without a reply
    # a notice unanswered when its case ended was closed with it, at the step that ended it (as the services do)
    ended = {c.pk: next(e.at for e in events[c.pk] if e.after.get("state") in FINAL_STATES)
             for c in cases if c.state in FINAL_STATES}
    sups = list(Supervision.objects.filter(district=district).values("case_id", "replied_at", "lapsed_at"))
    assert any(s["lapsed_at"] for s in sups) and any(s["replied_at"] for s in sups)
    for s in sups:
        expected = ended.get(s["case_id"]) if s["replied_at"] is None else None
        assert s["lapsed_at"] == expected, s


def test_lifecycles_and_shares_are_varied(xuhui_demo):
    district = preset_district("xuhui")
    actions = Counter(CaseEvent.objects.filter(district=district).values_list("action", flat=True))
    for action in (Action.TRIAGE, Action.DISPATCH, Action.ACCEPT, Action.RETURN, Action.REQUEST_EXTENSION,
                   Action.APPROVE_EXTENSION, Action.ADD_PROGRESS, Action.RESOLVE, Action.REPLY, Action.RATE,
                   Action.REOPEN, Action.CLOSE, Action.SUPERVISE, Action.SUPERVISION_REPLY, Action.ESCALATE,
                   Action.DECIDE, Action.MERGE, Action.WITHDRAW):
        assert actions[action] > 0, action
    channels = Counter(Case.objects.filter(district=district).values_list("channel", flat=True))
    assert channels.most_common(1)[0][0] == Channel.HOTLINE_12345
    assert len(channels) >= 6
    states = Counter(Case.objects.filter(district=district).values_list("state", flat=True))
    assert states[CaseState.CLOSED] > 0.7 * sum(states.values())
    assert sum(n for s, n in states.items() if s not in FINAL_STATES) > 0  # recent cases are still open
    closed = Case.objects.filter(district=district, state=CaseState.CLOSED)
    late = sum(1 for c in closed if c.resolved_at and c.deadline and c.resolved_at > c.deadline)
    assert 0 < late < closed.count() / 3
    # side rows match the events
    assert Reply.objects.filter(district=district, via_case=None).count() == (
        actions[Action.REPLY] + actions[Action.REPLY_UNREACHABLE] + actions[Action.ANSWER])
    assert Reply.objects.filter(district=district).exclude(via_case=None).count() == actions[Action.MERGED_REPLY]
    assert Supervision.objects.filter(district=district).count() == actions[Action.SUPERVISE]
    merged = Case.objects.filter(district=district, state=CaseState.MERGED)
    assert merged.exists() and all(c.merged_into.district_id == district.pk for c in merged)


def test_same_seed_same_cases_and_services_continue_after_the_demo():
    def fingerprint():
        d = preset_district("xuhui")
        return list(Case.objects.filter(district=d).order_by("tracking_code").values_list(
            "tracking_code", "state", "channel", "created_at", "deadline", "version"))

    generate("xuhui", scale=SCALE, seed=3, apps=("cases",))  # the cases demo alone
    first = fingerprint()
    district_reset(preset_district("xuhui"))
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    generate("xuhui", scale=SCALE, seed=3, apps=("cases",))
    assert fingerprint() == first
    # the tracking-code counter continues after the generated codes; the real services work on demo cases
    admin = User.objects.get(username="xh_admin")
    district = preset_district("xuhui")
    case = services.case_register(actor=admin, channel=Channel.HOTLINE_12345, description="测试登记", district_id=district.pk)
    assert case.tracking_code not in {row[0] for row in first}
    open_case = Case.objects.filter(district=district, state__in=(
        CaseState.DISPATCHED, CaseState.ACCEPTED, CaseState.IN_PROGRESS)).order_by("pk").first()
    assert open_case is not None
    services.case_supervise(actor=admin, case_id=open_case.pk, notice="请加快办理")
    open_case.refresh_from_db()
    assert replay(open_case.events.all()) == snapshot(open_case)


def test_demo_command_reset_removes_the_cases(monkeypatch):
    from civicloop.core import registry

    steps_of = registry.demo_steps
    monkeypatch.setattr(registry, "demo_steps", lambda only=None: steps_of(("cases",)))  # the cases demo alone
    out = StringIO()
    call_command("demo", "--preset", "xuhui", "--scale", str(SCALE), stdout=out)
    assert "cases.case" in out.getvalue()
    before = Case.objects.count()
    call_command("demo", "--preset", "xuhui", "--scale", str(SCALE), "--reset", stdout=StringIO())
    assert Case.objects.count() == before  # same scale and seed, regenerated after the reset
    assert CaseEvent.objects.filter(case__district=preset_district("xuhui")).count() == CaseEvent.objects.count()
