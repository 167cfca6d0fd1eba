"""The volunteers pages: the board of a district, street or community; the committee's register, needs and the
check-in roster; a member's hours; recognition lists; and the volunteer's own page (`me`, proved by member code and
phone digits — no account). They call selectors and services, never api.py; a form is offered only where the
service's own predicate says it can succeed."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.pages import done, form_validated
from civicloop.core.pages import form_fields as _form
from civicloop.core.pages import page_pk as _pk
from civicloop.orgs.auth import client_ip
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.scope import scope_for
from civicloop.orgs.selectors import unit_list_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.selectors import place_list_for

from . import permissions as perms
from . import selectors
from . import services as s
from .constants import NEEDS_LISTED, MemberKind, NeedCategory
from .error_codes import VolunteerErrorCode
from .inputs import CorrectionIn, MomentIn, NeedIn, ProofIn, SignUpIn, VolunteerMemberIn
from .models import Member

LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def _moments(data: dict, *names: str) -> dict:
    """A datetime-local field ("2026-12-01T09:00") is Shanghai time: the API's schema wants an offset."""
    for name in names:
        if LOCAL.match(data.get(name, "")):
            data[name] = data[name] + "+08:00"
    return data


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _communities_kept(user):
    """The communities whose register and roster this user keeps (a committee: its own; a district admin: all)."""
    if not perms.may_keep_some(user):
        return []
    own = perms.own_community(user)
    qs = place_list_for(user).filter(level=PlaceLevel.COMMUNITY).defer("boundary").order_by("code")
    return list(qs.filter(pk=own)) if own is not None else list(qs[:500])


def _chosen_community(request, kept) -> int | None:
    wanted = _int_param(request, "community")
    ids = [c.pk for c in kept]
    if wanted in ids:
        return wanted
    return ids[0] if len(ids) == 1 else wanted


@login_required
def board(request):
    """The volunteer board: members and hours per part, open needs, the year's top members and units."""
    user = request.user
    board = selectors.board_for(user, place_id=_int_param(request, "place"), year=_year(request))
    return render(request, "volunteers/board.html", {
        "board": board, "keeps": perms.may_keep_some(user), "rules": list(selectors.rules_for(user)),
        "part_is_street": board.place.level == PlaceLevel.DISTRICT,
        "up": board.place.parent_id if board.place.pk != scope_for(user).root_id else None})  # not above their own


def _year(request) -> int | None:
    year = _int_param(request, "year")
    return year if year is not None and 2000 <= year <= 2100 else None


@login_required
def members(request):
    """The register of a community: its members with their hours this year, and (keepers) a new member."""
    user = request.user
    kept = _communities_kept(user)
    if request.method == "POST":
        payload = form_validated(VolunteerMemberIn, _form(request, "community_id", "kind", "name", "phone", "unit_id"))
        member = s.member_register(actor=user, **payload.dict())
        return done(request, reverse("volunteers:members") + f"?community={member.community_id}",
                    _("已登记报到：编号 %(code)s。") % {"code": member.person.code})
    community = _chosen_community(request, kept) or _int_param(request, "community")
    rows = selectors.member_rows_for(user, community_id=community, limit=200)  # no community: all in sight
    units = list(unit_list_for(user, active_only=True).filter(kind__in=(UnitKind.PARTY_ORG, UnitKind.DEPARTMENT,
                                                                       UnitKind.DISTRICT_OFFICE,
                                                                       UnitKind.RESEARCH_OFFICE))[:300]) if kept else []
    return render(request, "volunteers/members.html", {
        "rows": rows, "kept": kept, "community": community, "kinds": MemberKind.choices, "units": units,
        "may_register": community is not None and any(c.pk == community for c in kept)})


@login_required
def member(request, pk: int):
    user = request.user
    m = selectors.member_get_for(user, _pk(pk))
    return render(request, "volunteers/member.html", {**selectors.member_hours(m, year=_year(request)),
                                                      "keeper": perms.may_keep_row(user, m)})


@login_required
def needs(request):
    """A community's needs (open first), and (keepers) a new need."""
    user = request.user
    kept = _communities_kept(user)
    if request.method == "POST":
        data = _moments(_form(request, "community_id", "title", "category", "starts_at", "ends_at", "slots",
                              "location"), "starts_at", "ends_at")
        payload = form_validated(NeedIn, data)
        need = s.need_post(actor=user, **payload.dict())
        return done(request, reverse("volunteers:need", args=[need.pk]), _("已发布服务需求。"))
    community = _chosen_community(request, kept)
    # ?open=1 — the open needs only, soonest first (the board's "all open needs" link); ?place= — below a district,
    # street or community in sight (the board's place)
    open_only = request.GET.get("open") == "1"
    place_id = _int_param(request, "place")
    place = selectors.board_place_for(user, place_id) if place_id is not None else None
    qs = selectors.needs_for(user, community_id=None if place else community, open_only=open_only, place=place)
    if not open_only:
        qs = qs.order_by("-starts_at", "-pk")
    needs = list(qs[:NEEDS_LISTED + 1])
    return render(request, "volunteers/needs.html", {
        "needs": needs[:NEEDS_LISTED], "more": len(needs) > NEEDS_LISTED, "listed": NEEDS_LISTED, "kept": kept,
        "community": community, "place": place, "open_only": open_only, "categories": NeedCategory.choices,
        "may_post": community is not None and any(c.pk == community for c in kept)})


@login_required
def need(request, pk: int):
    """A need's roster: who signed up, check-in and check-out, corrections; (keepers) sign a member up."""
    user = request.user
    need, signups = selectors.need_roster_for(user, _pk(pk))
    keeper = perms.may_keep_row(user, need)
    now = timezone.now()
    candidates = []
    if keeper and perms.need_open(need, now) and perms.need_has_room(need):
        taken = {x.member_id for x in signups}
        candidates = [m for m in selectors.member_rows_for(user, community_id=need.community_id) if m.pk not in taken]
    for x in signups:
        x.may_check_in = keeper and perms.may_check_in(x)
        x.may_check_out = keeper and perms.may_check_out(x)
        x.may_cancel = keeper and perms.may_cancel(x)
        x.may_correct = keeper and perms.may_correct(x)
    return render(request, "volunteers/need.html", {
        "need": need, "signups": signups, "keeper": keeper, "candidates": candidates,
        "may_close": keeper and need.state == "open"})


@login_required
@require_POST
def need_act(request, pk: int, action: str):
    user = request.user
    if action == "close":
        s.need_close(actor=user, need_id=_pk(pk))
        return done(request, reverse("volunteers:need", args=[pk]), _("已停止报名。"))
    if action == "signup":
        payload = form_validated(SignUpIn, _form(request, "member_id"))
        s.signup_create(actor=user, need_id=_pk(pk), **payload.dict())
        return done(request, reverse("volunteers:need", args=[pk]), _("已报名。"))
    raise not_found()


@login_required
@require_POST
def signup_act(request, pk: int, action: str):
    user = request.user
    pk = _pk(pk)
    if action in ("check_in", "check_out"):
        payload = form_validated(MomentIn, _moments(_form(request, "at"), "at"))
        service = s.signup_check_in if action == "check_in" else s.signup_check_out
        signup = service(actor=user, signup_id=pk, **payload.dict())
        text = _("已签到。") if action == "check_in" else _("已签退：服务时长 %(hours)s 小时。") % {"hours": signup.hours}
    elif action == "cancel":
        signup = s.signup_cancel(actor=user, signup_id=pk)
        text = _("已取消报名。")
    elif action == "correct":
        data = _moments(_form(request, "check_in_at", "check_out_at", "reason"), "check_in_at", "check_out_at")
        payload = form_validated(CorrectionIn, data)
        signup = s.signup_correct(actor=user, signup_id=pk, **payload.dict())
        text = _("已更正：服务时长 %(hours)s 小时。") % {"hours": signup.hours}
    else:
        raise not_found()
    return done(request, reverse("volunteers:need", args=[signup.need_id]), text, anchor=f"#signup-{signup.pk}")


@login_required
def recognition(request, pk: int):
    rule, rows = selectors.recognition_for(request.user, _pk(pk), year=_year(request))
    return render(request, "volunteers/recognition.html", {"rule": rule, "rows": rows,
                                                           "year": _year(request) or selectors.this_year()})


# ----- the volunteer's own page (no account)

def _me(request) -> Member | None:
    member_id = perms.proved_member(request)
    if member_id is None:
        return None
    return Member.objects.select_related("person", "community", "unit").filter(pk=member_id, active=True).first()


def me(request):
    """Proof (member code + the last four digits of the phone), then the volunteer's hours, their sign-ups with
    check-in and check-out, and the open needs of their community."""
    if request.method == "POST":
        payload = form_validated(ProofIn, _form(request, "code", "phone_last4"))
        s.volunteer_prove(request=request, client=client_ip(request) or "unknown", **payload.dict())
        return done(request, reverse("volunteers:me"), _("身份已验证。"))
    member = _me(request)
    if member is None:
        return render(request, "volunteers/me_proof.html", {})
    member.shown_name, member.shown_phone = member.person.name, member.person.phone  # their own
    context = selectors.member_hours(member)
    for x in context["signups"]:
        x.may_check_in, x.may_check_out = perms.may_check_in(x), perms.may_check_out(x)
        x.may_cancel = perms.may_cancel(x)
    return render(request, "volunteers/me.html", {**context, "needs": selectors.open_needs_for_member(member)})


@require_POST
def me_act(request, action: str):
    if action == "leave":
        s.volunteer_forget(request=request)
        return done(request, reverse("volunteers:me"), _("已退出。"))
    member = _me(request)
    if member is None:
        raise CivicError(VolunteerErrorCode.PROOF_REQUIRED)
    target = _form(request, "id").get("id", "")
    if not target.isdigit() or len(target) > 18:
        raise CivicError(ErrorCode.INVALID, _("输入有误。"))
    target_id = _pk(int(target))
    if action == "signup":
        s.signup_create(need_id=target_id, member_id=member.pk, by_member=True)
        text = _("已报名。")
    elif action == "cancel":
        s.signup_cancel(signup_id=target_id, member_id=member.pk)
        text = _("已取消报名。")
    elif action == "check_in":
        s.signup_check_in(signup_id=target_id, member_id=member.pk)
        text = _("已签到。")
    elif action == "check_out":
        signup = s.signup_check_out(signup_id=target_id, member_id=member.pk)
        text = _("已签退：服务时长 %(hours)s 小时。") % {"hours": signup.hours}
    else:
        raise not_found()
    return done(request, reverse("volunteers:me"), text)


