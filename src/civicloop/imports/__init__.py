"""imports — Excel/CSV import of places, units and staff: templates, dry runs, row-level errors, all or nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    TERRITORY = "territory", _("地点树")  # streets, communities, compounds, buildings (Place)
    HOUSEHOLDS = "households", _("住户")  # households under buildings
    ENTERPRISES = "enterprises", _("企业")  # legal entities by 统一社会信用代码
    UNITS = "units", _("单位")  # organisations, their parent unit and territory
    STAFF = "staff", _("工作人员")  # staff accounts and their roles
    PEOPLE = "people", _("人员")  # representatives, lawyers, volunteers … (no login)


# How many row errors an import reports at most (every row is still checked; the rest are counted).
MAX_REPORTED_ERRORS = 1000
# Rows per INSERT/UPDATE statement batch.
BATCH_SIZE = 2000
