"""Background jobs: the periodic refit of every district's model (idempotent: a refit adds the next version)."""

from __future__ import annotations

from django_tasks import task


def refit_all_now() -> int:
    """Fit every district that has closed cases; the number of models fitted."""
    from civicloop.cases.constants import CaseState
    from civicloop.cases.models import Case

    from .services import model_fit

    districts = (Case.objects.filter(state=CaseState.CLOSED).order_by().values_list("district_id", flat=True)
                 .distinct())
    return sum(1 for d in list(districts) if model_fit(district_id=d) is not None)


@task()
def refit_all() -> int:
    return refit_all_now()
