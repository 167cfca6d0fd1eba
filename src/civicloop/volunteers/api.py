"""The volunteers API at /api/volunteers/: members, service needs, sign-ups with check-in and check-out, the hours
ledger, the board, hours per unit and recognition lists — the services and selectors the pages use. Staff only
(the volunteer's own page is a page: their proof lives in the browser's session)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, PageIn, PathId, paged

from . import selectors
from . import services as s
from .constants import MemberKind
from .inputs import CorrectionIn, MomentIn, NeedIn, RecognitionRuleIn, SignUpIn, VolunteerMemberIn

router = Router(tags=["volunteers"])


class VolunteerMemberOut(Schema):
    id: int
    code: str
    name: str  # masked for whoever does not keep the member's community
    phone: str  # likewise
    kind: str
    kind_label: str
    community_id: int
    community_name: str
    unit_id: int | None
    unit_name: str
    active: bool
    year_hours: Decimal | None = None


def _member(m) -> dict:
    return {"id": m.pk, "code": m.person.code, "name": m.shown_name, "phone": m.shown_phone, "kind": m.kind,
            "kind_label": str(MemberKind(m.kind).label), "community_id": m.community_id,
            "community_name": m.community.name, "unit_id": m.unit_id, "unit_name": m.unit.name if m.unit_id else "",
            "active": m.active, "year_hours": getattr(m, "year_hours", None)}


class MemberPage(Schema):
    count: int
    items: list[VolunteerMemberOut]


class NeedOut(Schema):
    id: int
    community_id: int
    title: str
    category: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    slots: int
    taken: int
    location: str
    state: str


class NeedPage(Schema):
    count: int
    items: list[NeedOut]


class SignUpOut(Schema):
    id: int
    need_id: int
    member_id: int
    state: str
    signed_up_at: dt.datetime
    check_in_at: dt.datetime | None
    check_out_at: dt.datetime | None
    hours: Decimal


class RosterOut(Schema):
    need: NeedOut
    signups: list[SignUpOut]


class EntryOut(Schema):
    id: int
    day: dt.date
    kind: str
    hours: Decimal
    signup_id: int | None
    note: str


class MemberHoursOut(Schema):
    member: VolunteerMemberOut
    year: int
    year_hours: Decimal
    all_hours: Decimal
    by_year: list[tuple[int, Decimal]]
    entries: list[EntryOut]


class VolunteerBoardRowOut(Schema):
    place_id: int
    place_name: str
    volunteers: int
    party_members: int
    hours: Decimal
    open_needs: int


class VolunteerBoardOut(Schema):
    place_id: int
    place_name: str
    year: int
    volunteers: int
    party_members: int
    hours: Decimal
    open_needs: int
    rows: list[VolunteerBoardRowOut]
    needs: list[NeedOut]


class UnitHoursOut(Schema):
    unit_id: int
    unit_name: str
    hours: Decimal
    members: int


class RecognitionRuleOut(Schema):
    id: int
    name: str
    street_id: int | None
    kind: str
    top_n: int
    min_hours: Decimal


class ListedOut(Schema):
    rank: int
    hours: Decimal
    member: VolunteerMemberOut


class RecognitionOut(Schema):
    rule: RecognitionRuleOut
    year: int
    listed: list[ListedOut]


class MemberQuery(Schema):
    community_id: int | None = Field(None, ge=1, le=2**63 - 1, title=_("社区"))
    kind: MemberKind | None = Field(None, title=_("身份"))


class NeedQuery(Schema):
    community_id: int | None = Field(None, ge=1, le=2**63 - 1, title=_("社区"))
    open_only: bool = Field(False, title=_("仅招募中"))


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, title=_("年度"))


class BoardQuery(YearQuery):
    place_id: int | None = Field(None, ge=1, le=2**63 - 1, title=_("地点"))


@router.get("/members", response={200: MemberPage, **READ_ERRORS}, summary="Members registered in the viewer's sight")
def member_list(request, page: Query[PageIn], q: Query[MemberQuery]):
    data = paged(selectors.members_for(request.user, community_id=q.community_id, kind=q.kind), page)
    data["items"] = [_member(selectors.shown(request.user, m)) for m in data["items"]]
    return data


@router.post("/members", response={201: VolunteerMemberOut, **WRITE_ERRORS}, summary="Register a volunteer or a party member")
def member_register(request, payload: VolunteerMemberIn):
    """To a community the caller keeps (a committee's staff: its own). A party member needs `unit_id`, the agency
    they report from. 409 `already_registered` for a person registered before."""
    m = s.member_register(actor=request.user, **payload.dict())
    return Status(201, _member(selectors.member_get_for(request.user, m.pk)))


@router.get("/members/{member_id}", response={200: MemberHoursOut, **READ_ERRORS}, summary="A member's hours")
def member_hours(request, member_id: PathId, q: Query[YearQuery]):
    m = selectors.member_get_for(request.user, member_id)
    h = selectors.member_hours(m, year=q.year)
    return {"member": _member(m), "year": h["year"], "year_hours": h["year_hours"], "all_hours": h["all_hours"],
            "by_year": h["by_year"], "entries": h["entries"]}


@router.post("/members/{member_id}/leave", response={200: VolunteerMemberOut, **WRITE_ERRORS}, summary="Leave the roster")
def member_leave(request, member_id: PathId):
    s.member_leave(actor=request.user, member_id=member_id)
    return _member(selectors.member_get_for(request.user, member_id))


@router.get("/needs", response={200: NeedPage, **READ_ERRORS}, summary="Service needs in the viewer's sight")
def need_list(request, page: Query[PageIn], q: Query[NeedQuery]):
    return paged(selectors.needs_for(request.user, community_id=q.community_id, open_only=q.open_only), page)


@router.post("/needs", response={201: NeedOut, **WRITE_ERRORS}, summary="Post a service need")
def need_post(request, payload: NeedIn):
    return Status(201, s.need_post(actor=request.user, **payload.dict()))


@router.get("/needs/{need_id}", response={200: RosterOut, **READ_ERRORS}, summary="A need and its sign-ups")
def need_roster(request, need_id: PathId):
    need, signups = selectors.need_roster_for(request.user, need_id)
    return {"need": need, "signups": signups}


@router.post("/needs/{need_id}/close", response={200: NeedOut, **WRITE_ERRORS}, summary="Stop sign-ups")
def need_close(request, need_id: PathId):
    return s.need_close(actor=request.user, need_id=need_id)


@router.post("/needs/{need_id}/signups", response={201: SignUpOut, **WRITE_ERRORS}, summary="Sign a member up")
def signup_create(request, need_id: PathId, payload: SignUpIn):
    """409 `need_full` when no slot is left, `already_signed_up` for a second sign-up, `need_not_open` after the
    need closed or ended."""
    return Status(201, s.signup_create(actor=request.user, need_id=need_id, **payload.dict()))


@router.post("/signups/{signup_id}/check-in", response={200: SignUpOut, **WRITE_ERRORS}, summary="Check in")
def signup_check_in(request, signup_id: PathId, payload: MomentIn):
    return s.signup_check_in(actor=request.user, signup_id=signup_id, **payload.dict())


@router.post("/signups/{signup_id}/check-out", response={200: SignUpOut, **WRITE_ERRORS}, summary="Check out")
def signup_check_out(request, signup_id: PathId, payload: MomentIn):
    """The shift's hours go into the ledger. 400 `times_invalid` for a check-out not after the check-in."""
    return s.signup_check_out(actor=request.user, signup_id=signup_id, **payload.dict())


@router.post("/signups/{signup_id}/cancel", response={200: SignUpOut, **WRITE_ERRORS}, summary="Cancel a sign-up")
def signup_cancel(request, signup_id: PathId):
    return s.signup_cancel(actor=request.user, signup_id=signup_id)


@router.post("/signups/{signup_id}/correct", response={200: SignUpOut, **WRITE_ERRORS},
             summary="Correct a shift's times (audit-logged)")
def signup_correct(request, signup_id: PathId, payload: CorrectionIn):
    return s.signup_correct(actor=request.user, signup_id=signup_id, **payload.dict())


@router.get("/board", response={200: VolunteerBoardOut, **READ_ERRORS}, summary="The volunteer board of a place")
def board(request, q: Query[BoardQuery]):
    b = selectors.board_for(request.user, place_id=q.place_id, year=q.year)
    return {"place_id": b.place.pk, "place_name": b.place.name, "year": b.year, "volunteers": b.volunteers,
            "party_members": b.party_members, "hours": b.hours, "open_needs": b.open_needs, "needs": b.needs,
            "rows": [{"place_id": r.place.pk, "place_name": r.place.name, "volunteers": r.volunteers,
                      "party_members": r.party_members, "hours": r.hours, "open_needs": r.open_needs}
                     for r in b.rows]}


@router.get("/units", response={200: list[UnitHoursOut], **READ_ERRORS}, summary="Hours per unit for a year")
def unit_hours(request, q: Query[YearQuery]):
    return selectors.unit_hours_for(request.user, year=q.year)


@router.get("/rules", response={200: list[RecognitionRuleOut], **READ_ERRORS}, summary="Recognition rules")
def rule_list(request):
    return list(selectors.rules_for(request.user))


@router.post("/rules", response={201: RecognitionRuleOut, **WRITE_ERRORS}, summary="Add a recognition rule")
def rule_create(request, payload: RecognitionRuleIn):
    return Status(201, s.rule_save(actor=request.user, **payload.dict()))


@router.get("/rules/{rule_id}/list", response={200: RecognitionOut, **READ_ERRORS}, summary="A recognition list")
def recognition(request, rule_id: PathId, q: Query[YearQuery]):
    rule, rows = selectors.recognition_for(request.user, rule_id, year=q.year)
    return {"rule": rule, "year": q.year or selectors.this_year(),
            "listed": [{"rank": r.rank, "hours": r.hours, "member": _member(m)} for r, m in rows]}
