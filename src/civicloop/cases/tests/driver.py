"""Drive the services with any (actor, action) pair — shared by the state machine and the replay test."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases.constants import Action, AppealType, Channel, Layer, Satisfaction, Urgency
from civicloop.cases.models import Case, Category
from civicloop.cases.selectors import case_available_actions

PERSONAS = ("district_admin", "leader", "street_dispatcher", "committee_worker", "dept_handler", "city_handler",
            "consultation_staff", "outsider", "stranger", "nobody")
LEAD_UNITS = ("housing", "city_mgmt", "committee_a1", "street_a_office", "street_b_office")
PLACES = ("comm_a1", "comm_a2", "comm_b1", "street_a")


def register(world, actor, place: str, pick) -> Case:
    return s.case_register(actor=actor, channel=pick(list(Channel)), description="问题描述",
                           place_id=getattr(world, place).pk, reporter_name="赵六", reporter_phone="13700001111",
                           external_id=pick(["", "", f"EXT-{pick(range(5))}"]),
                           appeal_type=pick([AppealType.CONSULTATION, AppealType.HELP, AppealType.COMPLAINT]))


def perform(world, actor, action: str, case: Case, pick, *, others=()) -> None:
    """Call the service for `action` with plausible arguments; `pick(seq)` chooses one element."""
    kw = {"actor": actor, "case_id": case.pk}
    if pick([True, False, False, False]):
        kw["expected_version"] = case.version - pick([0, 1])
    if action == Action.TRIAGE:
        cats = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True)[:6])
        s.case_triage(**kw, category_id=pick(cats), urgency=pick(list(Urgency)),
                      layer=pick([Layer.LOCAL, Layer.LOCAL, Layer.LOCAL, Layer.CROSS]))
    elif action == Action.DISPATCH:
        lead = getattr(world, pick(LEAD_UNITS))
        co = [getattr(world, pick(LEAD_UNITS)).pk for _ in range(pick([0, 0, 1, 2]))]
        s.case_dispatch(**kw, lead_unit_id=lead.pk, co_unit_ids=co)
    elif action == Action.ACCEPT:
        s.case_accept(**kw)
    elif action == Action.RETURN:
        s.case_return(**kw, reason="非本单位职责")
    elif action == Action.REQUEST_EXTENSION:
        s.case_request_extension(**kw, days=pick([1, 3, 5]), reason="需协调")
    elif action == Action.APPROVE_EXTENSION:
        s.case_approve_extension(**kw)
    elif action == Action.DENY_EXTENSION:
        s.case_deny_extension(**kw)
    elif action == Action.ADD_PROGRESS:
        s.case_add_progress(**kw, note="进展")
    elif action == Action.RESOLVE:
        s.case_resolve(**kw, result="已处理", measures="加强巡查")
    elif action == Action.REPLY:
        s.case_reply(**kw, channel="phone", content="已答复")
    elif action == Action.ANSWER:
        s.case_answer(**kw, channel="phone", content="当场答复")
    elif action == Action.REPLY_UNREACHABLE:
        s.case_reply_unreachable(**kw, note="无法联系")
    elif action == Action.RATE:
        s.case_rate(**kw, value=pick([Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED]))
    elif action == Action.REOPEN:
        s.case_reopen(**kw, reason="答复不实")
    elif action == Action.CLOSE:
        s.case_close(**kw)
    elif action == Action.SUPERVISE:
        s.case_supervise(**kw, notice="请加快办理")
    elif action == Action.SUPERVISION_REPLY:
        s.case_supervision_reply(**kw, reply="正在办理")
    elif action == Action.ESCALATE:
        s.case_escalate(**kw, reason="需会商")
    elif action == Action.MERGE:
        s.case_merge(**kw, into_case_id=pick(list(others) or [case.pk]))
    elif action == Action.WITHDRAW:
        s.case_withdraw(**kw, reason="撤回")
    elif action == Action.DECIDE:
        meeting = s.meeting_create(actor=actor, body_unit_id=world.consultation.pk, date=timezone.localdate(), title="会商")
        item = s.meeting_agenda_add(actor=actor, meeting_id=meeting.pk, case_id=case.pk)
        s.meeting_decide(actor=actor, item_id=item.pk, lead_unit_id=getattr(world, pick(LEAD_UNITS)).pk,
                         measures="会商措施", deadline=timezone.localdate() + dt.timedelta(days=pick([10, 20])))
    else:  # pragma: no cover
        raise AssertionError(action)


def legitimate_moves(world, case: Case) -> list[tuple[str, str]]:
    """(persona, action) pairs the table and the permission rules allow right now."""
    moves = []
    for name in PERSONAS:
        for action in case_available_actions(getattr(world, name), case):
            moves.append((name, action))
    return moves
