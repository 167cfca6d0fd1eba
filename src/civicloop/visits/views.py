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
