"""The only writers of the routing app: fitting a district's model, recording a suggestion shown, and "use this" —
which triages and dispatches through the cases services (never writing a case row itself)."""

from __future__ import annotations

import time

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from civicloop.cases import services as case_services
from civicloop.cases.constants import Layer, Urgency
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.services import audit_write

from .constants import FIT_MAX_CASES, KEEP_VERSIONS, MIN_CASES
from .error_codes import RoutingErrorCode
from .evaluate import accuracy
from .learn import Router
from .models import RoutingModel, Suggestion
from .permissions import may_dispatch_now, may_see_suggestions, may_triage_now
from .selectors import forget
from .training import closed_examples

HOLDOUT_SHARE = 0.1  # the newest closed cases kept out of a fit to measure it (at most HOLDOUT_MAX)
HOLDOUT_MAX = 2000


def model_fit(*, district_id: int, max_cases: int = FIT_MAX_CASES, now=None) -> RoutingModel | None:
    """Fit the district's model on its closed cases (the newest `max_cases`), measured on the newest of them held
    out of the fit, and store it as the next version; older versions beyond KEEP_VERSIONS go. None: too few cases."""
    started = time.perf_counter()
    examples = closed_examples(district_id, max_cases)
    if len(examples) < MIN_CASES:
        return None
    held = min(HOLDOUT_MAX, int(len(examples) * HOLDOUT_SHARE))
    holdout, train = examples[:held], examples[held:]  # newest first: the held-out slice is the most recent
    router = Router.fit(train)
    quality = accuracy(router, holdout) if holdout else {}
    blob = router.dumps()
    seconds = round(time.perf_counter() - started, 2)
    with transaction.atomic():
        last = (RoutingModel.objects.select_for_update().filter(district_id=district_id)
                .aggregate(v=Max("version"))["v"] or 0)
        model = RoutingModel.objects.create(district_id=district_id, version=last + 1, fitted_at=now or timezone.now(),
                                            cases=len(train), seconds=seconds, blob=blob, quality=quality)
        stale = RoutingModel.objects.filter(district_id=district_id, version__lte=last + 1 - KEEP_VERSIONS)
        stale.delete()
        transaction.on_commit(forget)  # this process reads the new version at once (the others within seconds)
        audit_write(action="routing.model_fit", district_id=district_id, object_type="routing.routingmodel",
                    object_id=model.pk, details={"version": model.version, "cases": len(train), **quality})
    return model


def suggestion_show(*, actor, case, suggested: dict) -> Suggestion | None:
    """Record that `actor` was shown `suggested` (selectors.suggestions_for) on `case`: once per model version and
    case version, so reloading the page records nothing new. None: nothing was suggested."""
    if not suggested or not (suggested["categories"] or suggested["units"]):
        return None
    row, _created = Suggestion.objects.get_or_create(
        case_id=case.pk, model_version=suggested["version"], case_version=case.version,
        defaults={"district_id": case.district_id, "shown_at": timezone.now(), "shown_to_id": actor.pk,
                  "categories": [[c.pk, p] for c, p in suggested["categories"]],
                  "units": [[u.pk, p] for u, p in suggested["units"]]})
    return row


@transaction.atomic
def suggestion_use(*, actor, case_id: int, suggestion_id: int, category_id: int | None = None,
                   lead_unit_id: int | None = None, expected_version: int | None = None):
    """"Use this": the suggested category (a registered or returned case is triaged with it) and the suggested lead
    unit (then dispatched to it), each through the cases services — their own checks (scope, permission, state,
    dispatch targets, version) hold. Only what the suggestion offered is accepted."""
    from civicloop.cases.selectors import case_get_for

    case = case_get_for(actor, case_id)  # NOT_FOUND when not visible
    row = Suggestion.objects.filter(pk=suggestion_id, case_id=case.pk).first()
    if row is None:
        raise CivicError(ErrorCode.NOT_FOUND)
    if not may_see_suggestions(actor, case):
        raise CivicError(RoutingErrorCode.NOTHING_TO_SUGGEST)
    if category_id is None and lead_unit_id is None:
        raise CivicError(ErrorCode.INVALID)
    if category_id is not None and category_id not in {c for c, _p in row.categories}:
        raise CivicError(RoutingErrorCode.NOT_SUGGESTED)
    if lead_unit_id is not None and lead_unit_id not in {u for u, _p in row.units}:
        raise CivicError(RoutingErrorCode.NOT_SUGGESTED)
    version = case.version if expected_version is None else expected_version
    if category_id is not None and (category_id != case.category_id or not may_dispatch_now(actor, case)):
        if not may_triage_now(actor, case):
            raise CivicError(RoutingErrorCode.NOTHING_TO_SUGGEST)
        case = case_services.case_triage(actor=actor, case_id=case.pk, category_id=category_id,
                                         urgency=case.urgency or Urgency.NORMAL, layer=case.layer or Layer.LOCAL,
                                         expected_version=version)
        version = case.version
    if lead_unit_id is not None:
        case = case_services.case_dispatch(actor=actor, case_id=case.pk, lead_unit_id=lead_unit_id,
                                           expected_version=version)
    Suggestion.objects.filter(pk=row.pk).update(used_at=timezone.now())
    return case
