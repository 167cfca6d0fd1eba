"""The key management page (district administrators): list, create — the new key shown once, on the answer to
the form itself, never in a message or a redirect that would keep it — and revoke."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.pages import done, form_validated
from civicloop.orgs.auth import client_ip

from . import selectors, services
from .constants import DEFAULT_RATE_LIMIT, KeyScope
from .inputs import ApiKeyIn
from .permissions import may_manage_keys


def _page(request, *, new_key: str = "", new_row=None, status: int = 200):
    return render(request, "apikeys/keys.html", {
        "keys": selectors.api_keys_for(request.user)[:500], "scopes": KeyScope.choices,
        "acting_users": selectors.acting_user_choices(request.user), "default_rate_limit": DEFAULT_RATE_LIMIT,
        "new_key": new_key, "new_row": new_row}, status=status)


@login_required
def key_list(request):
    if not may_manage_keys(request.user):
        raise CivicError(ErrorCode.FORBIDDEN)
    if request.method == "POST":
        data = {k: request.POST[k] for k in ("name", "rate_limit", "acting_user_id") if request.POST.get(k, "") != ""}
        data["scopes"] = request.POST.getlist("scopes")
        payload = form_validated(ApiKeyIn, data)
        row, key = services.api_key_create(actor=request.user, ip=client_ip(request), **payload.dict())
        response = _page(request, new_key=key, new_row=row)
        response["Cache-Control"] = "no-store"  # the one answer that holds the key: kept by no cache
        return response
    return _page(request)


@login_required
@require_POST
def key_revoke(request, pk: int):
    selectors.api_key_get_for(request.user, pk)
    row = services.api_key_revoke(actor=request.user, key_id=pk, ip=client_ip(request))
    return done(request, reverse("apikeys:list"), _("已吊销接口密钥 %(name)s。") % {"name": row.name})
