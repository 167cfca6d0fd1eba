"""Pages of the shell: home, and the page shown for a locked login. Login/logout are Django's own views (see
urls.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from civicloop.core import registry
from civicloop.orgs.selectors import user_profile_for
from civicloop.places.selectors import scope_counts_for


@login_required
def home(request):
    # the apps' panels of the person's work (core.registry `home_panels`): web knows none of them by name
    return render(request, "web/home.html", {"profile": user_profile_for(request.user), "counts": scope_counts_for(request.user),
                                             "panels": registry.home_panels(request)})


def login_locked(request, response=None, credentials=None):
    """What a login refused by django-axes gets (AXES_LOCKOUT_CALLABLE), on our login page and the admin's:
    the login page again, saying the account or address is locked and for how long. HTTP 429."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    return render(request, "web/login.html", {"form": form, "locked": True, "cooloff_minutes": minutes,
                                              "next": request.POST.get("next", "")},
                  status=settings.AXES_HTTP_RESPONSE_CODE)
