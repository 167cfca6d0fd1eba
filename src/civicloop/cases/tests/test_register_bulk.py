"""Bulk registration (`case_register_bulk`, an import's path): the same cases, events and numbers as registering
the items one by one; all or nothing; a repeat of a stored or earlier external id answers the existing case."""

from civicloop.cases.events import TRACKED_FIELDS
from civicloop.cases.models import Case, CaseCounter, CaseEvent
from civicloop.cases.services import case_register, case_register_batch, case_register_bulk

ROW_FIELDS = ("district_id", "street_id", "community_id", "place_id", "channel", "category_id", "urgency",
              "appeal_type", "description", "address", "reporter_phone", "reporter_anonymous", "registered_by_id",
              "state", "version")


def items(world, cats, first=1, n=4):
    places = [world.comm_a1.pk, world.street_a.pk, None, world.comm_a1.pk]
    return [{"channel": "hotline_12345", "external_id": f"HL-{k}", "description": "路灯不亮",
             "category_id": cats["0103"].pk, "urgency": "urgent" if i % 2 else "normal",
             "appeal_type": "complaint" if i % 3 else "help", "place_id": places[i % len(places)],
             "address": f"测试路{i}号", "reporter_phone": "13912345678" if i % 2 else "",
             "reporter_anonymous": not i % 2, "note": f"12345工单 {i}"} for i, k in enumerate(range(first, first + n))]


def shape(case: Case) -> tuple:
    event = CaseEvent.objects.get(case=case)
    return (tuple(getattr(case, f) for f in ROW_FIELDS),
            (event.seq, event.action, event.actor_id, event.actor_unit_id, event.before, event.note,
             {k: v for k, v in event.after.items() if k in TRACKED_FIELDS}))


def test_bulk_gives_what_one_by_one_gives(world, cats):
    admin = world.district_admin
    one_by_one = [case_register(actor=admin, **item) for item in items(world, cats, first=1)]
    bulk = case_register_bulk(actor=admin, items=items(world, cats, first=5))
    assert all(r.case is not None and not r.repeated and r.error is None for r in bulk)
    assert [shape(c) for c in one_by_one] == [shape(Case.objects.get(pk=r.case.pk)) for r in bulk]
    assert len({repr(shape(c)) for c in one_by_one}) == 4  # the items differ: the comparison could fail
    codes = [r.case.tracking_code for r in bulk]
    assert [int(c[-7:]) for c in codes] == [5, 6, 7, 8]  # consecutive, after the one-by-one numbers
    assert CaseCounter.objects.get().last == 8 and CaseEvent.objects.count() == 8


def test_bulk_is_idempotent_by_external_id(world, cats):
    admin = world.district_admin
    first = case_register_bulk(actor=admin, items=items(world, cats))
    batch = case_register_batch(actor=admin, items=items(world, cats, first=5, n=1))  # registered elsewhere before
    again = case_register_bulk(actor=admin, items=[*items(world, cats, first=1, n=5), items(world, cats)[0]])
    assert [r.repeated for r in again] == [True] * 6
    assert [r.case.pk for r in again] == [r.case.pk for r in first] + [batch[0].case.pk, first[0].case.pk]
    assert Case.objects.count() == 5 and CaseEvent.objects.count() == 5 and CaseCounter.objects.get().last == 5


def test_a_refused_item_writes_nothing(world, cats):
    bad = items(world, cats)
    bad[2]["place_id"] = world.comm_b1.pk  # outside street A
    bad[3]["category_id"] = 10**9
    bad[1]["description"] = "带\x00空字符"
    out = case_register_bulk(actor=world.street_dispatcher, items=bad)
    assert [r.error is not None for r in out] == [False, True, True, True]
    assert out[0].case is None
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0
    assert not CaseCounter.objects.filter(last__gt=0).exists()
