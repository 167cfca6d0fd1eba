"""Demo steps of the routing app: fit the district's model once every app has generated its cases (a final step),
on the newest DEMO_FIT_CASES closed ones — enough for the suggestions to be right, and quick, since the demo runs in
many tests; the nightly refit (tasks.refit_all) reads up to FIT_MAX_CASES."""

from __future__ import annotations

from .models import RoutingModel, Suggestion
from .services import model_fit

DEMO_FIT_CASES = 6000


def fit_demo_model(ctx) -> None:
    model = model_fit(district_id=ctx.district.pk, max_cases=DEMO_FIT_CASES)
    if model is not None:
        ctx.stats.add("routing_routingmodel", 1)
        ctx.log(f"  routing model v{model.version}: {model.cases} cases, {model.seconds} s, {model.quality}")


def delete_routing(district) -> None:
    Suggestion.objects.filter(district=district).delete()
    RoutingModel.objects.filter(district=district).delete()
