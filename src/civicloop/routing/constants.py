"""The routing app's vocabulary and bounds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import Action, CaseState

TOP = 3  # suggestions shown per kind (categories, lead units)
# a lead unit learned relative to the case's place: the street office of its street, the committee of its community —
# so what a district learns in one street applies in every other (an absolute unit is "u<id>", a department)
OFFICE = "office"
COMMITTEE = "committee"
# a model is fitted only on at least this many closed cases (fewer: no model, no suggestion)
MIN_CASES = 30
# the newest closed cases a refit reads at most (a year of a large district; bench: ≤ 2 minutes)
FIT_MAX_CASES = 400_000
KEEP_VERSIONS = 3  # fitted models kept per district (suggestions keep the version number, not the row)
# the states in which a suggestion helps: before triage (category) and before a (re-)dispatch (lead unit)
SUGGEST_STATES = (CaseState.REGISTERED, CaseState.TRIAGED, CaseState.RETURNED, CaseState.REOPENED)
# the case events that hand a case to a lead unit (a consultation decision too)
DISPATCHING = (Action.DISPATCH, Action.DECIDE)
# a dispute: a (category, place) whose cases bounced at least this often (returns + re-dispatches to another unit)
DISPUTE_MIN_BOUNCES = 2
DISPUTE_DAYS = 180  # the default window of the disputes page
DISPUTES_SHOWN = 50
DISPUTE_CASES_SHOWN = 20  # cases listed under each dispute
EVENTS_READ_MAX = 50_000  # events the disputes read at most (the newest)


class Choice(models.TextChoices):
    """What the dispatcher did with a suggestion (read from the case's events)."""

    PENDING = "pending", _("待派单")  # not dispatched (triaged) since it was shown
    FIRST = "first", _("采纳首选")  # dispatched to the first suggested unit
    OTHER = "other", _("采纳其他建议")  # to the second or third
    NONE = "none", _("未采纳")  # to a unit not suggested
