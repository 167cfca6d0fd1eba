"""直接答复办结: a consultation answered on the spot is closed with its answer, without dispatch."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..changes import answer_changes
from ..constants import Action, ReplyChannel
from ..models import Case, Reply
from ._core import apply, load_for_update, now, require_text
from .closing import propagate_reply


@transaction.atomic
def case_answer(*, actor, case_id: int, channel: str, content: str, expected_version: int | None = None) -> Case:
    """Answer a consultation on the spot (phone, visit …): the answer is its result and its reply, recorded as a
    Reply like any other; the case is then replied and waits for the reporter's rating, as a handled one does.

    Only a consultation (`appeal_type` 咨询) never dispatched, by who may register in a territory covering it or
    a covering dispatcher (`preconditions`: `Who.ANSWERER`, NOT_A_CONSULTATION). Cases merged into it get the
    answer too."""
    case = load_for_update(actor, case_id, expected_version)
    content = require_text(content, _("答复内容"))
    at = now()
    apply(actor, case, Action.ANSWER, note=content, at=at, changes=answer_changes(at=at))
    reply = Reply.objects.create(district_id=case.district_id, case=case, channel=ReplyChannel(channel),
                                 content=content, unreachable=False,
                                 by=actor if getattr(actor, "pk", None) else None, at=at)
    propagate_reply(case, reply, at)
    return case
