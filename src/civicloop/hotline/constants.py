"""The hotline exchange's vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HotlineImportKind(models.TextChoices):
    ORDERS = "hotline_orders", _("12345工单")  # hotline work orders (imports framework kind)


# The replies feed serves a reply only once it is this many seconds old: a reply whose transaction commits after a
# later one (ids are taken before commit) is still read by the next call instead of being skipped past.
FEED_LAG_SECONDS = 10
FEED_PAGE_MAX = 500
# Rows per `cases.services.case_register_batch` call of an import (its own limit, BATCH_MAX).
REGISTER_CHUNK = 100
# AuditLog.action of a mapping change (services.mapping_set / mapping_delete)
AUDIT_MAPPING = "hotline_mapping"
