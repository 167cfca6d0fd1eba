"""The hotline exchange's vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HotlineImportKind(models.TextChoices):
    ORDERS = "hotline_orders", _("12345工单")  # hotline work orders (imports framework kind)


# The replies feed serves a reply only once it is this many seconds old: a reply whose transaction commits after a
# later one (ids are taken before commit) is still read by the next call instead of being skipped past.
FEED_LAG_SECONDS = 10
FEED_PAGE_MAX = 500
# Rows per `cases.services.case_register_bulk` call of an import (a step of its progress bar; the import's one
# transaction holds them all, so the chunk bounds only the memory of one step).
REGISTER_CHUNK = 5000
# AuditLog.action of a mapping change (services.mapping_set / mapping_delete)
AUDIT_MAPPING = "hotline_mapping"
