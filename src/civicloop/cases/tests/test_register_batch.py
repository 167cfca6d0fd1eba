"""Batch registration (`POST /api/cases/register-batch`): each item as `/register` would, in its own transaction;
refused items change nothing and do not stop the others; re-sending registers nothing twice."""

from civicloop.cases.models import Case, CaseCounter, CaseEvent
from civicloop.cases.services import BATCH_MAX

from .test_api import client_for, post


def item(n, **extra):
    return {"channel": "hotline_12345", "description": f"批量登记 {n}：路灯不亮", "external_id": f"12345-{n}",
            "reporter_phone": "13912345678", **extra}


def test_batch_registers_each_item_and_reports_refusals(client, world, cats):
    client_for(client, world.street_dispatcher)
    items = [item(1, place_code=world.comm_a1.code), item(2, place_code=world.comm_b1.code),  # outside: refused
             item(3, category_id=10**9), item(4)]
    r = post(client, "register-batch", {"cases": items})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["registered"], body["repeated"], body["refused"]) == (2, 0, 2)
    outcomes = [(x["index"], x["outcome"], (x["error"] or {}).get("code")) for x in body["results"]]
    assert outcomes == [(0, "registered", None), (1, "refused", "not_found"), (2, "refused", "invalid"),
                        (3, "registered", None)]
    codes = [x["case"]["tracking_code"] for x in body["results"] if x["case"]]
    assert codes[1][-7:] == f"{int(codes[0][-7:]) + 1:07d}"  # refused items took no number
    assert Case.objects.count() == 2 and CaseEvent.objects.count() == 2
    assert CaseCounter.objects.get().last == 2
    assert Case.objects.get(external_id="12345-1").community_id == world.comm_a1.pk

    again = post(client, "register-batch", {"cases": items}).json()  # a lost answer: the platform sends again
    assert (again["registered"], again["repeated"], again["refused"]) == (0, 2, 2)
    assert [x["case"]["id"] for x in again["results"] if x["case"]] == [x["case"]["id"] for x in body["results"]
                                                                         if x["case"]]
    assert Case.objects.count() == 2 and CaseCounter.objects.get().last == 2


def test_batch_refused_whole_when_malformed_or_too_large(client, world, cats):
    client_for(client, world.street_dispatcher)
    assert post(client, "register-batch", {"cases": []}).status_code == 422
    assert post(client, "register-batch", {"cases": [item(n) for n in range(BATCH_MAX + 1)]}).status_code == 422
    assert post(client, "register-batch", {"cases": [item(1), {"channel": "nope"}]}).status_code == 422
    assert Case.objects.count() == 0


def test_batch_for_someone_who_may_not_register(client, world, cats):
    client_for(client, world.leader)
    body = post(client, "register-batch", {"cases": [item(1), item(2)]}).json()
    assert [x["error"]["code"] for x in body["results"]] == ["forbidden", "forbidden"]
    assert Case.objects.count() == 0
    client.logout()
    assert post(client, "register-batch", {"cases": [item(1)]}).status_code == 401


def test_service_refuses_empty_and_oversized_batches(world):
    import pytest

    from civicloop.cases.services import case_register_batch
    from civicloop.core.errors import CivicError

    for items in ([], [item(n) for n in range(BATCH_MAX + 1)]):
        with pytest.raises(CivicError) as e:
            case_register_batch(actor=world.street_dispatcher, items=items)
        assert e.value.code == "invalid" and str(BATCH_MAX) in e.value.message
    assert Case.objects.count() == 0


def test_same_external_id_twice_in_one_batch_is_one_case(world, cats):
    from civicloop.cases.services import case_register_batch

    out = case_register_batch(actor=world.street_dispatcher, items=[item(1), item(2), item(1)])
    assert [(r.repeated, r.error) for r in out] == [(False, None), (False, None), (True, None)]
    assert out[2].case.pk == out[0].case.pk and Case.objects.count() == 2
    assert sorted(c[-1] for c in Case.objects.values_list("tracking_code", flat=True)) == ["1", "2"]


def _misses_first_lookup(monkeypatch, intake):
    """The batch's lookup of known external ids finds nothing (as if another sender registered one just
    after it); later lookups are real."""
    real, calls = intake._existing, []

    def existing(cases):
        calls.append(1)
        return {} if len(calls) == 1 else real(cases)

    monkeypatch.setattr(intake, "_existing", existing)


def test_a_lost_race_passes_its_number_on_and_gives_the_rest_back(world, cats, monkeypatch):
    """Another sender registered item 0's external id after the lookup: the write fails, the item answers the
    existing case, its number goes to the next item, and the leftover number returns to the counter."""
    from civicloop.cases.services import case_register, case_register_batch, intake

    earlier = case_register(actor=world.street_dispatcher, **item(0))
    _misses_first_lookup(monkeypatch, intake)
    out = case_register_batch(actor=world.street_dispatcher, items=[item(0), item(1), item(2)])
    assert out[0].repeated and out[0].case.pk == earlier.pk
    codes = [r.case.tracking_code[-7:] for r in out[1:]]
    assert codes == ["0000002", "0000003"]
    assert CaseCounter.objects.get().last == 3  # the fourth number, reserved but unused, was given back
    assert case_register(actor=world.street_dispatcher, **item(9)).tracking_code.endswith("-0000004")


def test_leftover_numbers_behind_a_later_reservation_are_logged(world, cats, monkeypatch, caplog):
    from civicloop.cases.services import case_register, case_register_batch, intake

    case_register(actor=world.street_dispatcher, **item(0))
    real_codes = intake.tracking_codes

    def reserve_then_someone_else_reserves(**kw):
        codes = real_codes(**kw)
        real_codes(district_id=kw["district_id"], when=kw["when"], count=1)
        return codes

    monkeypatch.setattr(intake, "tracking_codes", reserve_then_someone_else_reserves)
    _misses_first_lookup(monkeypatch, intake)
    out = case_register_batch(actor=world.street_dispatcher, items=[item(0), item(1)])
    assert out[0].repeated and not out[1].repeated
    assert "0000003" in caplog.text and "unused" in caplog.text


def test_a_batch_beyond_the_cap_answers_429_with_retry_after_and_registers_nothing(client, world, cats, monkeypatch):
    """Batches may hold only a share of the web threads (`core.capacity`): one more is refused, not queued."""
    from civicloop.cases import api
    from civicloop.core.capacity import Gate

    gate = Gate(slots=1, queue=0, wait=3, retry_after=4)
    monkeypatch.setattr(api, "BATCH_GATE", gate)
    client_for(client, world.street_dispatcher)
    with gate.slot():  # another batch is running in this process
        r = post(client, "register-batch", {"cases": [item(1), item(2)]})
    assert r.status_code == 429
    assert r["Retry-After"] == "4"
    assert r.json()["code"] == "intake_busy" and r.json()["message"]
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0
    again = post(client, "register-batch", {"cases": [item(1), item(2)]})  # sent again once the slot is free
    assert again.status_code == 200 and again.json()["registered"] == 2


def test_register_batch_documents_the_429():
    from civicloop.api import api

    responses = api.get_openapi_schema()["paths"]["/api/cases/register-batch"]["post"]["responses"]
    assert {429, 200} <= set(responses)


def test_a_bad_third_item_is_refused_in_its_own_result_before_anything_is_written(world, cats):
    """Issue 21: a NUL (PostgreSQL cannot store it) or a number past 64 bits in one item used to be found only when
    that item was written — after the items before it — and answered 500. Every item is checked first now."""
    from civicloop.cases.services import case_register_batch

    items = [item(1), item(2), item(3, description="路灯\x00不亮"), item(4, category_id=2**63), item(5, note="\x00")]
    results = case_register_batch(actor=world.street_dispatcher, items=items)
    assert [r.error.code.value if r.error else "registered" for r in results] == [
        "registered", "registered", "invalid", "invalid", "invalid"]
    assert Case.objects.count() == 2 and CaseEvent.objects.count() == 2


def test_the_api_refuses_a_batch_with_a_nul_whole(client, world, cats):
    client_for(client, world.street_dispatcher)
    r = post(client, "register-batch", {"cases": [item(1), item(2), item(3, description="路灯\x00不亮")]})
    assert r.status_code == 422 and r.json()["code"] == "invalid"
    assert Case.objects.count() == 0
