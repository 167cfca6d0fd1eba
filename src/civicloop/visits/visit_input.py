"""What a visit record takes, for both transports: the API's JSON body and the record form (read laxly there).
Field names are `services.records.visit_record`'s keywords, so `payload.dict()` is passed as is."""

import datetime as dt
import uuid

from ninja import Field, Schema

from civicloop.core.api import NOT_BLANK, Id

from .constants import VisitMethod, VisitSatisfaction
from .services.records import MAX_FOLLOW_UPS, MAX_NOTE, MAX_PROBLEMS, MAX_TEXT


class ProblemIn(Schema):
    description: str = Field(..., max_length=MAX_TEXT, pattern=NOT_BLANK)


class FollowUpIn(Schema):
    """An answer about a case raised in an earlier visit to the same household or enterprise."""

    case_id: Id
    satisfaction: VisitSatisfaction
    note: str = Field("", max_length=MAX_NOTE)


class VisitIn(Schema):
    """A visit as the record form or the offline field app sends it; `client_id` (made on the phone) makes the
    submission idempotent."""

    client_id: uuid.UUID
    subject_id: Id
    visited_on: dt.date
    method: VisitMethod
    summary: str = Field(..., max_length=MAX_TEXT, pattern=NOT_BLANK)
    satisfaction: VisitSatisfaction
    member_ids: list[Id] = Field([], max_length=50)
    topic_id: Id | None = None
    problems: list[ProblemIn] = Field([], max_length=MAX_PROBLEMS)
    follow_ups: list[FollowUpIn] = Field([], max_length=MAX_FOLLOW_UPS)
