"""Pages of the plans app: as thin as api.py, calling the same selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def plans_page(request):
    return render(request, "plans/plans.html", {})


@login_required
def mine_page(request):
    return render(request, "plans/plans.html", {})


@login_required
def letters_page(request):
    return render(request, "plans/plans.html", {})


@login_required
def task_page(request, pk: int):
    return render(request, "plans/plans.html", {})
