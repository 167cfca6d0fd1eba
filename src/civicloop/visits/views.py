"""The visits pages. They call selectors and services, never api.py."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def campaigns(request):
    return render(request, "visits/campaigns.html", {"campaigns": selectors.campaigns_for(request.user)[:200]})


@login_required
def mine(request):
    """The person's teams and their field lists (filled by the field-list work)."""
    return render(request, "visits/mine.html", {"campaigns": selectors.campaigns_for(request.user)[:200]})


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
