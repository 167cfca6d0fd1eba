"""The case actions as both transports take them: each action's request schema and its service.

`api.py` mounts `POST /api/cases/{case_id}/{action}` for each entry; `views.py` validates the case page's action
forms with the same schemas (the forms post the same field names, `forms.action_fields`) and calls the same
services. The consultation forms' schemas (`MeetingIn`, `AgendaIn`, `DecideIn`) are shared the same way. Field
names are the services' keyword names, so `payload.dict()` is passed as is.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from civicloop.core.api import NOT_BLANK, Count, Id

from . import services
from .constants import Layer, ReplyChannel, Satisfaction, Urgency

# ----- case actions (every one takes the version the user saw: a stale one answers CONFLICT)


class VersionIn(Schema):
    expected_version: Count


class NoteIn(VersionIn):
    note: str = Field("", max_length=2000)


class TriageIn(NoteIn):
    category_id: Id
    urgency: Urgency = Urgency.NORMAL
    layer: Layer = Layer.LOCAL


class DispatchIn(NoteIn):
    lead_unit_id: Id
    co_unit_ids: list[Id] = Field([], max_length=50)
    time_limit_days: int | None = Field(None, ge=1, le=365)


class ReasonIn(VersionIn):
    reason: str = Field(..., max_length=2000, pattern=NOT_BLANK)


class ExtensionIn(ReasonIn):
    days: int = Field(..., ge=1, le=60)


class ExtensionDecideIn(NoteIn):
    extension_id: Id | None = None


class ProgressIn(VersionIn):
    note: str = Field(..., max_length=2000, pattern=NOT_BLANK)


class ResolveIn(VersionIn):
    result: str = Field(..., max_length=4000, pattern=NOT_BLANK)
    measures: str = Field("", max_length=4000)


class ReplyIn(VersionIn):
    channel: ReplyChannel
    content: str = Field(..., max_length=4000, pattern=NOT_BLANK)


class RateIn(NoteIn):
    value: Satisfaction


class SuperviseIn(VersionIn):
    notice: str = Field(..., max_length=2000, pattern=NOT_BLANK)


class SupervisionReplyIn(VersionIn):
    reply: str = Field(..., max_length=4000, pattern=NOT_BLANK)
    supervision_id: Id | None = None


# a case named by its tracking code (what a dispatcher reads off the other case), where an id is also accepted
TrackingCode = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")]


class MergeIn(NoteIn):
    into_case_id: Id | TrackingCode  # the target's id, or its tracking code (issue 11)


# ----- consultation


class MeetingIn(Schema):
    body_unit_id: Id
    date: dt.date
    title: str = Field(..., max_length=200, pattern=NOT_BLANK)


class AgendaIn(Schema):
    case_id: Id


class DecideIn(Schema):
    lead_unit_id: Id
    co_unit_ids: list[Id] = Field([], max_length=50)
    measures: str = Field(..., max_length=4000, pattern=NOT_BLANK)
    deadline: dt.date


# each action's request schema and its service, by the action's name (the URL's last part)
ACTION_SCHEMAS = {
    "triage": TriageIn, "dispatch": DispatchIn, "accept": NoteIn, "return": ReasonIn, "request_extension": ExtensionIn,
    "approve_extension": ExtensionDecideIn, "deny_extension": ExtensionDecideIn, "add_progress": ProgressIn,
    "resolve": ResolveIn, "reply": ReplyIn, "answer": ReplyIn, "reply_unreachable": ProgressIn, "rate": RateIn, "reopen": ReasonIn,
    "close": NoteIn, "supervise": SuperviseIn, "supervision_reply": SupervisionReplyIn, "escalate": ReasonIn,
    "merge": MergeIn, "withdraw": ReasonIn,
}
ACTION_SERVICES = {
    "triage": services.case_triage, "dispatch": services.case_dispatch, "accept": services.case_accept,
    "return": services.case_return, "request_extension": services.case_request_extension,
    "approve_extension": services.case_approve_extension, "deny_extension": services.case_deny_extension,
    "add_progress": services.case_add_progress, "resolve": services.case_resolve, "reply": services.case_reply,
    "answer": services.case_answer,
    "reply_unreachable": services.case_reply_unreachable, "rate": services.case_rate, "reopen": services.case_reopen,
    "close": services.case_close, "supervise": services.case_supervise,
    "supervision_reply": services.case_supervision_reply, "escalate": services.case_escalate,
    "merge": services.case_merge, "withdraw": services.case_withdraw,
}
