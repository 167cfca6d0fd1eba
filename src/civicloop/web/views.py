"""Pages of the shell: home. Login/logout are Django's own views (see urls.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from civicloop.orgs.selectors import user_profile_for
from civicloop.places.selectors import scope_counts_for


@login_required
def home(request):
    return render(request, "web/home.html", {"profile": user_profile_for(request.user), "counts": scope_counts_for(request.user)})
