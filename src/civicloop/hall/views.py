"""The hall's pages: the halls index, a community's hall, a topic (discussion, meetings, votes), a meeting, a vote
(tally, a grid worker's ballot, closing, outcomes), the printable notice, the residents' phone voting page and a
convention. They call selectors and services, never api.py; a form is offered only where the service's own
predicate says it can succeed."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicloop.cases.permissions import may_register
from civicloop.core.errors import CivicError, not_found
from civicloop.core.pages import done, form_validated
from civicloop.core.pages import form_fields as _form
from civicloop.core.pages import page_pk as _pk
from civicloop.core.ratelimit import rate_limit_hit
from civicloop.orgs.auth import client_ip
from civicloop.places.models import Place

from . import permissions as perms
from . import selectors
from . import services as s
from .constants import (
    PHONE_TRIES_PER_CLIENT,
    PHONE_TRIES_PER_HOUSEHOLD,
    Ballot,
    Choice,
    OutcomeKind,
    TopicOrigin,
)
from .inputs import (
    BallotIn,
    ConventionIn,
    HallMeetingIn,
    HallTopicIn,
    HideIn,
    MeetingHeldIn,
    OutcomeIn,
    PostIn,
    VoteIn,
)
from .models import Convention, VoteRule

HOUR = 3600


@login_required
def index(request):
    own = perms.own_community(request.user)
    if own is not None:
        return redirect("hall:hall", own)
    return render(request, "hall/index.html", {"communities": selectors.communities_for(request.user)[:500]})


def _areas(community):
    """The places a topic, vote or convention of the community may concern: it, its compounds, their buildings."""
    return list(Place.objects.filter(path__startswith=community.path).exclude(level__in=("district", "street"))
                .defer("boundary").order_by("path")[:500])


@login_required
@require_http_methods(["GET", "POST"])
def hall(request, pk: int):
    user = request.user
    if request.method == "POST":
        if request.POST.get("form") == "convention":
            payload = form_validated(ConventionIn, _form(request, "place_id", "title", "text", "effective_from"))
            version = s.convention_record(actor=user, **payload.dict())
            return done(request, reverse("hall:convention", args=[version.convention_id]), _("已录入微规约。"))
        payload = form_validated(HallTopicIn, _form(request, "place_id", "title", "body", "origin", "proposer"))
        topic = s.topic_create(actor=user, **payload.dict())
        return done(request, reverse("hall:topic", args=[topic.pk]), _("已发起议题。"))
    ctx = selectors.hall_for(user, _pk(pk))
    if ctx["keeper"]:
        ctx["areas"] = _areas(ctx["community"])
        ctx["origins"] = TopicOrigin.choices
    return render(request, "hall/hall.html", ctx)


@login_required
def topic(request, pk: int):
    ctx = selectors.topic_get_for(request.user, _pk(pk))
    t = ctx["topic"]
    if ctx["keeper"] and perms.topic_open(t):
        ctx["may_write"] = True
        ctx["areas"] = [p for p in _areas(t.community) if p.path.startswith(t.place.path)] or [t.place]
        ctx["rules"] = VoteRule.objects.filter(active=True).order_by("code")
        ctx["ballots"] = Ballot.choices
        ctx["default_close"] = (timezone.localtime() + dt.timedelta(days=14)).strftime("%Y-%m-%dT18:00")
    return render(request, "hall/topic.html", ctx)


@login_required
@require_POST
def topic_act(request, pk: int, action: str):
    user, pk = request.user, _pk(pk)
    url = reverse("hall:topic", args=[pk])
    if action == "post":
        payload = form_validated(PostIn, _form(request, "body", "speaker"))
        post = s.post_add(actor=user, topic_id=pk, **payload.dict())
        return done(request, url, _("已记录发言。"), anchor=f"#post-{post.pk}")
    if action == "close":
        s.topic_close(actor=user, topic_id=pk)
        return done(request, url, _("议题已结束。"))
    if action == "meeting":
        payload = form_validated(HallMeetingIn, _form(request, "title", "date", "agenda", "location"))
        meeting = s.meeting_plan(actor=user, topic_id=pk, **payload.dict())
        return done(request, reverse("hall:meeting", args=[meeting.pk]), _("已安排议事会。"))
    if action == "vote":
        payload = form_validated(VoteIn, _form(request, "place_id", "question", "proposal", "rule_code", "ballot",
                                               "closes_at"))
        vote = s.vote_open(actor=user, topic_id=pk, **payload.dict())
        return done(request, reverse("hall:vote", args=[vote.pk]), _("表决已开始。"))
    raise not_found()


@login_required
@require_POST
def post_hide(request, pk: int):
    payload = form_validated(HideIn, _form(request, "reason"))
    post = s.post_hide(actor=request.user, post_id=_pk(pk), **payload.dict())
    return done(request, reverse("hall:topic", args=[post.topic_id]), _("已隐藏该发言。"), anchor=f"#post-{post.pk}")


@login_required
def meeting(request, pk: int):
    ctx = selectors.meeting_get_for(request.user, _pk(pk))
    m = ctx["meeting"]
    ctx["may_hold"] = ctx["keeper"] and perms.meeting_may_hold(m)
    ctx["may_close"] = ctx["keeper"] and perms.meeting_may_close(m)
    if ctx["may_hold"]:
        from civicloop.places.models import Household

        ctx["households"] = list(Household.objects.filter(community_id=m.community_id)
                                 .only("pk", "code", "room").order_by("code")[:300])
    return render(request, "hall/meeting.html", ctx)


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    user, pk = request.user, _pk(pk)
    if action == "hold":
        data = _form(request, "minutes", "attendees_other")
        data["household_ids"] = [v for v in request.POST.getlist("household_ids") if v]
        payload = form_validated(MeetingHeldIn, data)
        s.meeting_hold(actor=user, meeting_id=pk, **payload.dict())
        text = _("已记录参会情况和会议纪要。")
    elif action == "close":
        s.meeting_close(actor=user, meeting_id=pk)
        text = _("会议纪要已定稿。")
    else:
        raise not_found()
    return done(request, reverse("hall:meeting", args=[pk]), text)


def _outcome_offers(user, ctx) -> dict:
    """The outcome forms this viewer may submit with success (each kind not made yet)."""
    vote = ctx["vote"]
    if not perms.outcome_possible(vote):
        return {}
    made = ctx["outcomes"]
    offers = {}
    if OutcomeKind.CASE not in made and may_register(user, district_id=vote.district_id):
        offers["case"] = True
    if OutcomeKind.TASK not in made:
        from civicloop.orgs.selectors import unit_list_for
        from civicloop.plans.selectors import plans_open_for

        plans = list(plans_open_for(user))
        if plans:
            offers["plans"] = plans
            offers["units"] = list(unit_list_for(user, active_only=True).filter(district_id=vote.district_id))
    if OutcomeKind.CONVENTION not in made and vote.proposal and ctx["keeper"]:
        offers["conventions"] = list(Convention.objects.filter(community_id=vote.community_id).order_by("title"))
        offers["convention"] = True
    return offers


@login_required
def vote(request, pk: int):
    ctx = selectors.vote_get_for(request.user, _pk(pk))
    v = ctx["vote"]
    ctx["choices"] = Choice.choices
    # a secret vote's running counts stay unseen until it closes (who has voted is the turnout, shown)
    ctx["show_choices"] = perms.choices_visible(v)
    ctx["may_ballot"] = perms.vote_taking(v) and perms.may_verify(request.user, v.community_id)
    ctx["may_close"] = ctx["keeper"] and perms.vote_may_close(v)
    ctx["offers"] = _outcome_offers(request.user, ctx)
    ctx["public_url"] = request.build_absolute_uri(reverse("hall:ballot", args=[v.pk, v.token]))
    if ctx["outcomes"].get(OutcomeKind.CASE):
        ctx["case_visible"] = bool(selectors.case_ids_visible(request.user, [ctx["outcomes"]["case"].case_id]))
    if ctx["outcomes"].get(OutcomeKind.TASK):  # linked only for whom the plans let see it
        from civicloop.plans.selectors import tasks_for

        ctx["task_visible"] = tasks_for(request.user).filter(pk=ctx["outcomes"]["task"].task_id).exists()
    return render(request, "hall/vote.html", ctx)


@login_required
@require_POST
def vote_act(request, pk: int, action: str):
    user, pk = request.user, _pk(pk)
    url = reverse("hall:vote", args=[pk])
    if action == "ballot":
        payload = form_validated(BallotIn, _form(request, "household_code", "choice", "phone_last4"))
        s.ballot_cast(actor=user, vote_id=pk, **payload.dict())
        return done(request, url, _("已记录该户的表决意见。"))
    if action == "close":
        v = s.vote_close(actor=user, vote_id=pk)
        return done(request, url, _("表决已结束：通过。") if v.passed else _("表决已结束：未通过。"))
    if action == "outcome":
        payload = form_validated(OutcomeIn, _form(request, "kind", "plan_id", "owner_unit_id", "due",
                                                  "convention_id", "convention_title", "effective_from"))
        made = s.outcome_make(actor=user, vote_id=pk, **payload.dict())
        return done(request, url, _("已办理表决结果。") if made.created else _("该结果已经办理过，未重复办理。"),
                    anchor="#outcomes")
    raise not_found()


@login_required
def notice(request, pk: int):
    return render(request, "hall/notice.html", selectors.notice_for(request.user, _pk(pk)))


@require_http_methods(["GET", "POST"])
def ballot_public(request, pk: int, token: str):
    """The residents' voting page (no account, phone first): the household code, the last four digits of the phone
    on file, the choice. Attempts are limited per household code and per client (four digits are few)."""
    vote = selectors.vote_by_token(_pk(pk), token)
    ctx = {"vote": vote, "choices": Choice.choices, "open": perms.vote_taking(vote) and timezone.now() < vote.closes_at}
    if request.method == "POST":
        try:
            rate_limit_hit(f"hall:ballot:ip:{client_ip(request) or 'unknown'}", limit=PHONE_TRIES_PER_CLIENT,
                           window=HOUR)
            code = (request.POST.get("household_code") or "").strip()[:60]
            rate_limit_hit(f"hall:ballot:{vote.pk}:{code}", limit=PHONE_TRIES_PER_HOUSEHOLD, window=HOUR)
            payload = form_validated(BallotIn, _form(request, "household_code", "choice", "phone_last4"))
            s.ballot_cast(vote_id=vote.pk, token=token, **payload.dict())
        except CivicError as error:
            response = render(request, "hall/ballot.html", {**ctx, "error": error}, status=error.status)
            if "retry_after" in error.params:
                response["Retry-After"] = str(error.params["retry_after"])
            return response
        return render(request, "hall/ballot.html", {**ctx, "thanks": True})
    return render(request, "hall/ballot.html", ctx)


@login_required
def convention(request, pk: int):
    return render(request, "hall/convention.html", selectors.convention_get_for(request.user, _pk(pk)))
