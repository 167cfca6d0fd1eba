"""The rollups equal a recomputation straight from the cases and their events — after reopen, merge, extension,
re-dispatch, returns, consultation and withdrawal — however often and in whatever order the refresh reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from civicloop.cases.constants import CLOCK_STATES, Action, CaseState, Satisfaction
from civicloop.cases.models import Case, CaseEvent, Rating, Supervision
from civicloop.dashboard.constants import SAFETY_LAG
from civicloop.dashboard.measures import DIMENSIONS, MEASURES
from civicloop.dashboard.models import (
    ROLLUPS,
    CaseFact,
    CaseRedSpan,
    CaseReturn,
    DailyRollup,
    RollupWatermark,
)
from civicloop.dashboard.services import (
    rollups_complete_district,
    rollups_load_district,
    rollups_rebuild,
    rollups_refresh,
    rollups_sum_district,
)
from civicloop.workdays.calendar import SHANGHAI, WorkCalendar, deadline_for

COLUMNS = [m.name for m in MEASURES]


def day(moment):
    return moment.astimezone(SHANGHAI).date() if moment else None


def recomputed() -> dict:
    """The rollups computed from the case rows, their ratings, supervisions and events — not from the facts."""
    cal = WorkCalendar()
    out: dict = defaultdict(lambda: defaultdict(int))
    events = defaultdict(list)
    for e in CaseEvent.objects.order_by("case_id", "seq"):
        events[e.case_id].append(e)
    for case in Case.objects.all():
        evs = events[case.pk]
        key = (case.district_id, case.street_id or 0, case.community_id or 0, case.lead_unit_id or 0,
               case.category_id or 0, case.channel, case.appeal_type)

        def first(*actions, evs=evs):
            return next((e.at for e in evs if e.action in actions), None)

        def add(name, when, amount=1, key=key):
            if when is not None:
                out[(key[0], day(when), *key[1:])][name] += amount

        add("intake", case.created_at)
        if case.state in (CaseState.MERGED, CaseState.WITHDRAWN):
            continue
        add("intake_counted", case.created_at)
        if case.resolved_at:
            add("intake_resolved", case.created_at)
        dispatched, accepted = first(Action.DISPATCH, Action.DECIDE), first(Action.ACCEPT)
        add("dispatched", dispatched)
        if accepted and dispatched and accepted <= deadline_for(dispatched, 1, calendar=cal):
            add("accepted_on_time", dispatched)
        if case.return_count >= 1:
            add("returned", dispatched)
        if case.return_count >= 2:
            add("returned_twice", dispatched)
        if case.resolved_at:
            add("resolved", case.resolved_at)
            if case.resolved_at <= case.deadline:
                add("resolved_on_time", case.resolved_at)
            if any(e.action == Action.REOPEN for e in evs):
                add("reopened", case.resolved_at)
            add("handling_days", case.resolved_at, cal.working_days_between(day(dispatched), day(case.resolved_at)))
        rating = Rating.objects.filter(case=case).order_by("-at", "-pk").first()
        if rating:
            add("rated", rating.at)
            if rating.value in (Satisfaction.SATISFIED, Satisfaction.BASICALLY):
                add("satisfied", rating.at)
        if case.deadline and ((case.resolved_at and case.resolved_at > case.deadline)
                              or (not case.resolved_at and case.state in CLOCK_STATES)):
            add("overdue", case.deadline)
        supervision = Supervision.objects.filter(case=case).order_by("opened_at").first()
        add("supervised", supervision.opened_at if supervision else None)
        add("escalated", first(Action.ESCALATE))
    return {key: {n: v for n, v in row.items() if v} for key, row in out.items() if any(row.values())}


def stored() -> dict:
    rows = DailyRollup.objects.values("district_id", "day", "street_id", "community_id", "lead_unit_id",
                                      "category_id", "channel", "appeal_type", *COLUMNS)
    return {(r["district_id"], r["day"], r["street_id"], r["community_id"], r["lead_unit_id"], r["category_id"],
             r["channel"], r["appeal_type"]): {n: r[n] for n in COLUMNS if r[n]} for r in rows}


def returns_from_events() -> set:
    counted = set(Case.objects.exclude(state__in=(CaseState.MERGED, CaseState.WITHDRAWN)).values_list("pk", flat=True))
    return {(e.case_id, e.seq, e.before["lead_unit_id"]) for e in CaseEvent.objects.filter(action=Action.RETURN)
            if e.case_id in counted}


def test_the_rollup_table_has_a_column_per_measure():
    for model, dims in ROLLUPS:
        fields = [f.name for f in model._meta.fields]
        assert sorted(fields) == sorted(["id", "district", "day", *dims, *COLUMNS]), model


def projected(full: dict, dims: tuple[str, ...]) -> dict:
    """The full rollups summed onto (district, day, *dims)."""
    names = ("district_id", "day", *DIMENSIONS)
    out: dict = defaultdict(lambda: defaultdict(int))
    for key, amounts in full.items():
        row = out[(key[0], key[1], *(key[names.index(d)] for d in dims))]
        for name, amount in amounts.items():
            row[name] += amount
    return {k: {n: v for n, v in row.items() if v} for k, row in out.items() if any(row.values())}


def stored_in(model, dims) -> dict:
    rows = model.objects.values("district_id", "day", *dims, *COLUMNS)
    return {(r["district_id"], r["day"], *(r[d] for d in dims)): {n: r[n] for n in COLUMNS if r[n]} for r in rows}


def test_the_coarser_rollups_are_the_full_one_summed_onto_their_keys(loop):
    full = stored()
    for model, dims in ROLLUPS[:-1]:
        assert stored_in(model, dims) == projected(full, dims), model
        assert 0 < model.objects.count() < DailyRollup.objects.count()
    rollups_rebuild()
    for model, dims in ROLLUPS[:-1]:
        assert stored_in(model, dims) == projected(full, dims), model


def test_rollups_equal_a_recomputation_from_cases_and_events(loop):
    expected = recomputed()
    assert stored() == expected
    # the data set exercises what the issue names: reopen, merge, withdrawal, extension, re-dispatch, returns
    facts = CaseFact.objects
    assert facts.filter(reopened=True).count() == 2 and facts.filter(state=CaseState.MERGED).count() == 1
    assert facts.filter(state=CaseState.WITHDRAWN).count() == 1 and facts.filter(returned_twice=True).count() == 1
    assert sum(row.get("overdue", 0) for row in expected.values()) >= 2
    assert set(CaseReturn.objects.values_list("case_id", "seq", "unit_id")) == returns_from_events()
    assert CaseReturn.objects.count() == 3


def test_refresh_again_re_read_and_rebuild_change_nothing(loop):
    before = stored()
    facts = list(CaseFact.objects.order_by("pk").values())
    assert rollups_refresh(now=loop.clock.t) == 0
    assert stored() == before
    # at-least-once: every event read again (a crash after the work, before the watermark's commit)
    RollupWatermark.objects.filter(pk=1).update(last_event_id=0, holes={})
    assert rollups_refresh(now=loop.clock.t) == CaseEvent.objects.count()
    assert stored() == before and list(CaseFact.objects.order_by("pk").values()) == facts
    rollups_rebuild()
    assert stored() == before and list(CaseFact.objects.order_by("pk").values()) == facts


def test_small_batches_give_the_same_rollups(loop):
    before = stored()
    rollups_rebuild()
    RollupWatermark.objects.filter(pk=1).update(last_event_id=0, holes={})
    coarse = {model: stored_in(model, dims) for model, dims in ROLLUPS}
    for model in (*(m for m, _dims in ROLLUPS), CaseReturn, CaseFact):
        model.objects.all().delete()
    rollups_refresh(now=loop.clock.t, batch=3)
    assert stored() == before
    assert {model: stored_in(model, dims) for model, dims in ROLLUPS} == coarse


def test_the_bulk_load_gives_the_refreshs_facts_returns_and_rollups(loop):
    """The demo's one-pass fold (`rollups_load_district`) writes what the refresh wrote, and moves the watermark."""
    before, facts = stored(), list(CaseFact.objects.order_by("pk").values())
    coarse = {model: stored_in(model, dims) for model, dims in ROLLUPS}
    spans = sorted(CaseRedSpan.objects.values_list("case_id", "seq", "red_from", "red_until", "deadline", "state"))
    assert spans  # the loop has red cases: the load must write their stretches too
    returns = sorted(CaseReturn.objects.values_list("case_id", "seq", "day", "unit_id", "category_id", "street_id"))
    (district_id,) = set(Case.objects.values_list("district_id", flat=True))
    for model in (*(m for m, _dims in ROLLUPS), CaseReturn, CaseRedSpan, CaseFact):
        model.objects.all().delete()
    RollupWatermark.objects.filter(pk=1).update(last_event_id=0, holes={})
    assert rollups_load_district(loop.world.district, now=loop.clock.t) == CaseEvent.objects.count()
    assert loop.world.district.pk == district_id
    assert stored() == before and list(CaseFact.objects.order_by("pk").values()) == facts
    assert {model: stored_in(model, dims) for model, dims in ROLLUPS} == coarse
    assert sorted(CaseRedSpan.objects.values_list("case_id", "seq", "red_from", "red_until", "deadline",
                                                  "state")) == spans
    assert sorted(CaseReturn.objects.values_list("case_id", "seq", "day", "unit_id", "category_id",
                                                 "street_id")) == returns
    assert RollupWatermark.objects.get(pk=1).last_event_id == CaseEvent.objects.order_by("-pk").first().pk
    assert rollups_refresh(now=loop.clock.t) == 0 and stored() == before
    # facts present already: the ordinary refresh (nothing new to read)
    assert rollups_load_district(loop.world.district, now=loop.clock.t) == 0 and stored() == before


def test_rollups_completed_after_a_load_that_folded_its_own_cases(loop):
    """`rollups_complete_district` (the demo's final step, after a bulk load that wrote its cases' facts): the facts
    of cases whose events all lie in the loaded ranges are taken as they are; a case with an event outside them —
    written afterwards through the services — is refolded from all its events; the district's rollups are summed
    from the facts; the watermark moves past the last event."""
    before, facts = stored(), list(CaseFact.objects.order_by("pk").values())
    coarse = {model: stored_in(model, dims) for model, dims in ROLLUPS}
    events = list(CaseEvent.objects.order_by("pk").values_list("pk", "case_id"))
    late, late_case = events[-1]  # "written afterwards": the one event outside the loaded range
    CaseFact.objects.filter(case_id=late_case).update(seq=0, state=CaseState.REGISTERED, resolved=False)  # stale
    for model, _dims in ROLLUPS:
        model.objects.all().delete()
    RollupWatermark.objects.filter(pk=1).update(last_event_id=0, holes={})
    assert rollups_complete_district(loop.world.district, [(events[0][0], late - 1)], now=loop.clock.t) == 1
    assert list(CaseFact.objects.order_by("pk").values()) == facts
    assert stored() == before and {model: stored_in(model, dims) for model, dims in ROLLUPS} == coarse
    assert RollupWatermark.objects.get(pk=1).last_event_id == late
    assert rollups_refresh(now=loop.clock.t) == 0 and stored() == before


def test_rollups_summed_again_from_the_facts_after_a_bulk_load(loop):
    """`rollups_sum_district` (the bench's city-year copies): the district's rollups, emptied, are summed again
    from its facts to what the refresh kept; the watermark moves to the event given, never back."""
    before = stored()
    coarse = {model: stored_in(model, dims) for model, dims in ROLLUPS}
    assert before  # the loop's cases are folded
    last = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    for model, _dims in ROLLUPS:
        model.objects.all().delete()
    RollupWatermark.objects.filter(pk=1).update(last_event_id=last - 5)
    rollups_sum_district(loop.world.district, through_event_id=last)
    assert stored() == before
    assert {model: stored_in(model, dims) for model, dims in ROLLUPS} == coarse
    assert RollupWatermark.objects.get(pk=1).last_event_id == last
    assert rollups_refresh(now=loop.clock.t) == 0 and stored() == before
    rollups_sum_district(loop.world.district, through_event_id=1)
    assert RollupWatermark.objects.get(pk=1).last_event_id == last and stored() == before


def _hide(event: CaseEvent) -> dict:
    """Take an event out of sight, as if its transaction had not committed yet; its row to put back."""
    row = CaseEvent.objects.filter(pk=event.pk).values().get()
    CaseEvent.objects.filter(pk=event.pk).delete()
    return row


def test_an_event_committed_after_a_later_one_is_read_by_a_later_run(loop):
    from civicloop.cases import services as s

    w, n, clock = loop.world, loop.cases, loop.clock
    clock.advance(hours=1)
    s.case_reply(actor=w.dept_handler, case_id=n.c9.pk, channel="phone", content="已处理")
    s.case_rate(actor=w.outsider, case_id=n.c9.pk, value="satisfied")  # the later event
    late = CaseEvent.objects.filter(case=n.c9, action=Action.REPLY).get()
    rate = CaseEvent.objects.filter(case=n.c9, action=Action.RATE).get()
    row = _hide(late)
    rollups_refresh(now=clock.t)
    mark = RollupWatermark.objects.get(pk=1)
    assert mark.last_event_id == rate.pk and mark.holes == {str(late.pk): clock.t.isoformat()}
    assert mark.watermark() == late.pk - 1
    CaseEvent.objects.create(**row)  # it commits
    clock.advance(minutes=1)
    rollups_refresh(now=clock.t)
    assert RollupWatermark.objects.get(pk=1).holes == {}
    assert stored() == recomputed()


def test_an_id_never_seen_is_given_up_after_the_safety_lag(loop):
    from civicloop.cases import services as s

    w, n, clock = loop.world, loop.cases, loop.clock
    s.case_reply(actor=w.dept_handler, case_id=n.c9.pk, channel="phone", content="已处理")
    s.case_reply(actor=w.city_handler, case_id=n.c10.pk, channel="phone", content="已处理")
    rolled_back = CaseEvent.objects.filter(case=n.c9, action=Action.REPLY).get()
    _hide(rolled_back)  # never comes back (its transaction rolled back)
    rollups_refresh(now=clock.t)
    assert list(RollupWatermark.objects.get(pk=1).holes) == [str(rolled_back.pk)]
    rollups_refresh(now=clock.t + SAFETY_LAG - dt.timedelta(seconds=1))
    assert list(RollupWatermark.objects.get(pk=1).holes) == [str(rolled_back.pk)]
    rollups_refresh(now=clock.t + SAFETY_LAG)
    mark = RollupWatermark.objects.get(pk=1)
    assert mark.holes == {} and mark.watermark() == mark.last_event_id


def test_the_command_refreshes_and_rebuilds(loop):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rollups", stdout=out)
    call_command("rollups", "--rebuild", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["0 events read", f"{CaseEvent.objects.count()} events read"]
    assert stored() == recomputed()


def red_at_by_replay(moment) -> dict:
    """The cases red at `moment` by replaying each case's log up to it (cases.replay): {case id: (deadline, state)}."""
    from civicloop.cases.replay import replay

    events = defaultdict(list)
    for e in CaseEvent.objects.filter(at__lt=moment).values("case_id", "seq", "after"):
        events[e["case_id"]].append(e)
    out = {}
    for case_id, evs in events.items():
        state = replay(evs)
        deadline = state.get("deadline") and dt.datetime.fromisoformat(state["deadline"])
        if state.get("state") in CLOCK_STATES and deadline and deadline < moment:
            out[case_id] = (deadline, state["state"])
    return out


def red_at_by_spans(moment) -> dict:
    spans = CaseRedSpan.objects.filter(red_from__lt=moment).exclude(red_until__lt=moment)
    return {s.case_id: (s.deadline, s.state) for s in spans}


def test_red_spans_equal_a_replay_of_the_log_at_every_moment_that_matters(loop):
    """At each event's moment and around it, around each deadline and at each midnight: the cases red by their
    spans are those a replay of the log up to that moment finds red, with the same deadline and state."""
    tick = dt.timedelta(microseconds=1)
    moments = set()
    for at in CaseEvent.objects.values_list("at", flat=True):
        moments |= {at - tick, at, at + tick}
    for deadline in Case.objects.exclude(deadline=None).values_list("deadline", flat=True):
        moments |= {deadline - tick, deadline, deadline + tick}
    start = dt.datetime(2026, 3, 2, tzinfo=SHANGHAI)
    moments |= {start + dt.timedelta(days=d) for d in range(10)}
    seen = 0
    for moment in sorted(moments):
        expected = red_at_by_replay(moment)
        assert red_at_by_spans(moment) == expected, moment
        seen += bool(expected)
    assert seen >= 10 and CaseRedSpan.objects.count() >= 3
    spans = set(CaseRedSpan.objects.values_list("case_id", "seq", "red_from", "red_until"))
    rollups_rebuild()
    assert set(CaseRedSpan.objects.values_list("case_id", "seq", "red_from", "red_until")) == spans
