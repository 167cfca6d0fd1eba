"""The vocabulary of API keys. One comment per word."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyScope(models.TextChoices):
    """What a key may be used for; an endpoint names the scope it requires (`auth.require_key`)."""

    OPEN311 = "open311", _("Open311 市民诉求接口")  # GeoReport v2 at /open311/v2/: submit and read requests
    HOTLINE = "hotline", _("12345 热线对接")  # the 12345 platform: work orders in, the reply feed out
    SIGNS = "signs", _("感知设备读数报送")  # sensor gateways: batches of readings in (POST /api/signs/readings)


class KeyAuditAction(models.TextChoices):
    """The audit rows of key management (core.AuditLog.action)."""

    CREATE = "api_key_create", _("新建接口密钥")
    REVOKE = "api_key_revoke", _("吊销接口密钥")


# A key as handed out: "cl_" + 8 hex characters (the prefix, stored and shown to identify the key) + "_" + 43
# URL-safe characters (32 random bytes). Only the prefix and the SHA-256 of the whole key are stored.
KEY_LABEL = "cl"
PREFIX_BYTES = 4
SECRET_BYTES = 32
# Requests per minute a new key may make unless the administrator says otherwise; the bounds of that setting.
DEFAULT_RATE_LIMIT = 60
RATE_LIMIT_MAX = 6000
RATE_WINDOW_SECONDS = 60
# `last_used_at` is written at most once per this many seconds per key (a conditional UPDATE), not per request.
LAST_USED_EVERY_SECONDS = 60
