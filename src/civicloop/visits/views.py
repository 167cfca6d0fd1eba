"""The visits pages. They call selectors and services, never api.py."""

import uuid
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.input import INT64_MAX
from civicloop.core.validation import error_details

from . import selectors
from .constants import VisitMethod, VisitSatisfaction
from .permissions import may_record
from .services.records import visit_record
from .visit_input import VisitIn


@login_required
def campaigns(request):
    return render(request, "visits/campaigns.html", {"campaigns": selectors.campaigns_for(request.user)[:200]})


@login_required
def mine(request):
    """The person's teams, each with its subjects to visit and visited, and a link to its field list."""
    return render(request, "visits/mine.html", {"teams": selectors.my_teams(request.user)})


# ----- visit records, field lists, subjects (records)


def _pk(pk: int) -> int:
    """A key from the path past what the database stores is simply not found (the same answer as missing)."""
    if not 1 <= pk <= INT64_MAX:
        raise not_found()
    return pk


def _walk_groups(rows: list[dict]) -> list[dict]:
    """The field list's subjects (in walk order) grouped community → compound → building, order kept."""
    out: list[dict] = []
    for (community, compound), in_compound in groupby(rows, key=lambda r: (r["community"], r["compound"])):
        out.append({"community": community, "compound": compound, "buildings": [
            {"building": building, "subjects": list(subjects)}
            for building, subjects in groupby(in_compound, key=lambda r: r["building"])]})
    return out


@login_required
def field_list(request, pk: int):
    """A team's field list: printable (print CSS), and a column of cards on a phone."""
    data = selectors.field_list_for(request.user, _pk(pk))
    visited = sum(1 for s in data["subjects"] if s["visits_count"])
    return render(request, "visits/field_list.html", {**data, "groups": _walk_groups(data["subjects"]),
                                                       "visited": visited,
                                                       "to_visit": len(data["subjects"]) - visited})


def _validated(schema, data: dict):
    try:
        # lax: a form posts every value as text (the API's JSON is held to the schema's strict ids)
        return schema.model_validate(data, strict=False)
    except ValidationError as exc:
        details = [{**d, "where": ""} for d in error_details(exc.errors(), model=schema)]
        raise CivicError(ErrorCode.INVALID, details=details) from None


def _visit_form_data(request, subject_id: int) -> dict:
    """The record form's fields as `VisitIn` reads them: problems from the repeated rows (blank rows dropped),
    follow-ups from the answered earlier cases (left at 不回访: none)."""
    post = request.POST
    data = {"client_id": post.get("client_id", ""), "subject_id": subject_id, "visited_on": post.get("visited_on", ""),
            "method": post.get("method", ""), "summary": post.get("summary", ""),
            "satisfaction": post.get("satisfaction", ""), "member_ids": [v for v in post.getlist("member_ids") if v],
            "problems": [{"description": text} for text in post.getlist("problem") if text.strip()],
            "follow_ups": []}
    if post.get("topic_id"):
        data["topic_id"] = post["topic_id"]
    for case_id in post.getlist("follow_case"):
        answer = post.get(f"follow_{case_id}", "")
        if answer:
            data["follow_ups"].append({"case_id": case_id, "satisfaction": answer,
                                       "note": post.get(f"follow_note_{case_id}", "")})
    return data


def _done(request, url: str, text: str, anchor: str = "") -> HttpResponse:
    messages.success(request, text)
    if request.headers.get("HX-Request"):
        # the page itself: without the anchor, or the browser would only scroll instead of loading it afresh
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url + anchor)


@login_required
def subject(request, pk: int):
    """A subject's page: its visits in every campaign, the outcome of every case they raised, and — for a staff
    member of its team while the campaign runs (`permissions.may_record`) — the record form, which starts from
    that history (one question per earlier case)."""
    history = selectors.subject_history_for(request.user, _pk(pk))
    subject = history["subject"]
    may = may_record(request.user, subject)
    if request.method == "POST":
        payload = _validated(VisitIn, _visit_form_data(request, subject.pk))
        visit, created = visit_record(actor=request.user, **payload.dict())
        n = visit.problems.count()
        text = (_("已记录走访，登记工单 %(n)d 件。") % {"n": n}) if created else _("该走访已记录过，未重复保存。")
        return _done(request, reverse("visits:subject", args=[subject.pk]), text, anchor=f"#visit-{visit.pk}")
    context = {**history, "may_record": may}
    if may:
        team = subject.team
        context.update({
            "client_id": uuid.uuid4(), "today": timezone.localdate(), "members": selectors.team_members(team),
            "topics": subject.campaign.topics.order_by("pk"), "methods": VisitMethod.choices,
            "satisfactions": VisitSatisfaction.choices,
            "default_method": VisitMethod.ENTERPRISE if subject.enterprise_id else VisitMethod.DOOR,
        })
    return render(request, "visits/subject.html", context)


@login_required
def problem_row(request):
    """One more problem row for the record form (htmx: 添加问题)."""
    return render(request, "visits/_problem_row.html")


# ----- offline (the field app and its service worker)


@login_required
def field(request):
    """The offline field app: a shell the service worker keeps; the team's list and the visit form are drawn in
    the browser from the field-list JSON, and records wait in an on-device outbox until they can be sent."""
    from .field_app import field_config, field_strings

    teams = list(selectors.field_teams_for(request.user))
    return render(request, "visits/field.html",
                  {"teams": teams, "config": field_config(request.user, teams), "strings": field_strings()})


def service_worker(request):
    """The field app's service worker, from this path so it may control /visits/field/ (a worker controls only
    pages under its own path). Open to everyone: it is code and the shell's public URLs, and the browser must be
    able to fetch an update even when the session has lapsed."""
    from django.http import HttpResponse

    from .field_app import service_worker_source

    response = HttpResponse(service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser compares it byte by byte to find a new version
    return response
