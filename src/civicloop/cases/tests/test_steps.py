"""steps.step — the one "apply a table step" rule that services._core.apply and the demo generator share: it
refuses what the table forbids (the same error as the services), and its before/after are what apply writes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicloop.cases import services as s
from civicloop.cases.constants import Action, CaseState, Satisfaction, Urgency
from civicloop.cases.error_codes import CaseErrorCode
from civicloop.cases.events import TRACKED_FIELDS, diff, snapshot
from civicloop.cases.models import Case
from civicloop.cases.steps import step
from civicloop.core.errors import CivicError


def _blank(state: str, version: int = 1, **fields) -> dict:
    snap = {name: None for name in TRACKED_FIELDS}
    snap.update({"co_unit_ids": [], "return_count": 0, "unsatisfied_count": 0, "state": state, "version": version,
                 **fields})
    return snap


def test_refuses_a_step_the_table_forbids_and_leaves_the_snapshot_alone():
    before = _blank(CaseState.REGISTERED)
    copy = dict(before)
    with pytest.raises(CivicError) as exc:
        step(before, Action.ACCEPT)
    assert exc.value.code == CaseErrorCode.TRANSITION_NOT_ALLOWED
    assert "已登记" in exc.value.message and "签收" in exc.value.message
    assert before == copy


def test_pure_step_state_version_changes_and_co_units_without_the_lead():
    before = _blank(CaseState.TRIAGED, version=2, lead_unit_id=7, co_unit_ids=[3])
    copy = dict(before)
    st = step(before, Action.DISPATCH, changes={"lead_unit_id": 5, "time_limit_days": 15}, co_unit_ids=[9, 5, 4, 9])
    assert before == copy  # not modified
    assert st.state == CaseState.DISPATCHED and st.co_unit_ids == [4, 9]
    assert st.values == {"lead_unit_id": 5, "time_limit_days": 15, "state": CaseState.DISPATCHED, "version": 3}
    assert st.before == {"state": "triaged", "lead_unit_id": 7, "co_unit_ids": [3], "time_limit_days": None,
                         "version": 2}
    assert st.after == {"state": "dispatched", "lead_unit_id": 5, "co_unit_ids": [4, 9], "time_limit_days": 15,
                        "version": 3}
    assert list(st.after) == [f for f in TRACKED_FIELDS if f in st.after]  # snapshot order, as events always had
    assert st.snapshot == {**before, **st.after}
    # a side step keeps the state and changes nothing else but the version; unchanged co-units are not in the diff
    side = step(st.snapshot, Action.ACCEPT)
    assert (side.before, side.after, side.co_unit_ids) == ({"state": "dispatched", "version": 3},
                                                           {"state": "accepted", "version": 4}, None)
    assert step(side.snapshot, Action.SUPERVISE).after == {"version": 5}


def test_the_services_refusal_is_the_steps_refusal(world, flow, cats):
    case = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0101"].pk)
    with pytest.raises(CivicError) as service:
        s.case_close(actor=world.street_dispatcher, case_id=case.pk)
    with pytest.raises(CivicError) as pure:
        step(snapshot(Case.objects.get(pk=case.pk)), Action.CLOSE)
    assert service.value.code == pure.value.code == CaseErrorCode.TRANSITION_NOT_ALLOWED
    assert service.value.message == pure.value.message


def _same_as_apply(case_id: int, action: str, run, *, fields=(), co_unit_ids=None) -> None:
    """Run the service; the step from the snapshot before, with the field values it set, is the event it wrote."""
    before = snapshot(Case.objects.get(pk=case_id))
    run()
    case = Case.objects.get(pk=case_id)
    event = case.events.order_by("-seq").first()
    st = step(before, action, changes={f: getattr(case, f) for f in fields}, co_unit_ids=co_unit_ids)
    assert event.action == action
    assert (st.before, st.after) == (event.before, event.after), action
    assert st.snapshot == snapshot(case), action
    assert (st.state, st.values["version"]) == (case.state, case.version) and event.seq == case.version


def test_before_after_equal_what_apply_writes(world, flow, cats):
    pk = flow.register().pk
    disp, dept, city = world.street_dispatcher, world.dept_handler, world.city_handler
    _same_as_apply(pk, Action.TRIAGE, lambda: s.case_triage(actor=disp, case_id=pk, category_id=cats["0201"].pk,
                                                             urgency=Urgency.URGENT),
                   fields=("category_id", "urgency", "layer"))
    dispatch_fields = ("lead_unit_id", "dispatching_unit_id", "dispatched_at", "time_limit_days", "deadline",
                       "yellow_at", "resolved_at", "replied_at")
    co = [world.city_mgmt.pk, world.housing.pk]  # the lead among the co-units: left out
    _same_as_apply(pk, Action.DISPATCH, lambda: s.case_dispatch(actor=disp, case_id=pk, lead_unit_id=world.housing.pk,
                                                                 co_unit_ids=co),
                   fields=dispatch_fields, co_unit_ids=co)
    assert list(Case.objects.get(pk=pk).co_unit_links.values_list("unit_id", flat=True)) == [world.city_mgmt.pk]
    _same_as_apply(pk, Action.RETURN, lambda: s.case_return(actor=dept, case_id=pk, reason="不属于本单位"),
                   fields=("return_count", "lead_unit_id"), co_unit_ids=[])
    _same_as_apply(pk, Action.DISPATCH, lambda: s.case_dispatch(actor=disp, case_id=pk,
                                                                 lead_unit_id=world.city_mgmt.pk),
                   fields=dispatch_fields, co_unit_ids=[])
    _same_as_apply(pk, Action.ACCEPT, lambda: s.case_accept(actor=city, case_id=pk))
    _same_as_apply(pk, Action.ADD_PROGRESS, lambda: s.case_add_progress(actor=city, case_id=pk, note="已联系"))
    _same_as_apply(pk, Action.RESOLVE, lambda: s.case_resolve(actor=city, case_id=pk, result="已清理"),
                   fields=("resolved_at",))
    _same_as_apply(pk, Action.REPLY, lambda: s.case_reply(actor=city, case_id=pk, channel="phone", content="已处理"),
                   fields=("replied_at",))
    _same_as_apply(pk, Action.RATE, lambda: s.case_rate(actor=disp, case_id=pk, value=Satisfaction.SATISFIED),
                   fields=("satisfaction", "unsatisfied_count"))
    _same_as_apply(pk, Action.CLOSE, lambda: s.case_close(actor=disp, case_id=pk), fields=("closed_at",))
    assert Case.objects.get(pk=pk).state == CaseState.CLOSED


_VALUES = st.one_of(st.none(), st.integers(-3, 3), st.sampled_from(["a", "b", "2026-01-02T03:04:05+00:00"]))
_UNITS = st.lists(st.integers(1, 4), max_size=3)


@settings(max_examples=300, deadline=None)
@given(before=st.fixed_dictionaries({name: _UNITS if name == "co_unit_ids" else _VALUES for name in TRACKED_FIELDS}),
       changes=st.dictionaries(st.sampled_from([n for n in (*TRACKED_FIELDS, "description") if n != "co_unit_ids"]),
                               _VALUES, max_size=6),
       co=st.none() | _UNITS)
def test_the_steps_diff_of_the_touched_fields_is_the_whole_diff(before, changes, co):
    """`step` compares only the fields it set (a snapshot's keys in TRACKED_FIELDS order): the same before/after as
    `events.diff` over the whole snapshot — and `diff` itself for a snapshot in another order."""
    changes.pop("state", None)
    changes.pop("version", None)
    before.update(state=CaseState.DISPATCHED, version=3)
    for snap in (before, dict(reversed(before.items()))):
        got = step(snap, Action.ACCEPT, changes=changes, co_unit_ids=co)
        assert (got.before, got.after) == diff(snap, got.snapshot)
        assert list(got.after) == [k for k in got.snapshot if k in got.after]
