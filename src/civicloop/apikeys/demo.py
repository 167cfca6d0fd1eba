"""Demo step: one key for a client of the demo district (the 12345 platform, an Open311 app), printed once at the
end of `civicloop demo` — like every key, it is stored only as its digest and cannot be shown again (a lost demo
key: revoke it and create another at /apikeys/ as xh_admin)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civicloop.orgs.models import User

from .constants import KeyScope
from .models import ApiKey
from .services import api_key_create

DEMO_KEY_NAME = "12345平台与Open311演示客户端"


def generate_keys(ctx) -> None:
    admin = User.objects.get(username="xh_admin")
    _row, key = api_key_create(actor=admin, name=DEMO_KEY_NAME, scopes=[KeyScope.OPEN311, KeyScope.HOTLINE],
                               rate_limit=600)
    ctx.stats.add("apikeys.api_key", 1)
    ctx.stats.notes.append(_("接口密钥（Open311 与 12345 回复接口，仅显示这一次）：%(key)s") % {"key": key})


def delete_keys(district) -> None:
    """The demo's reset step: the district's keys (the audit rows stay, as every log does)."""
    ApiKey.objects.filter(district=district).delete()
