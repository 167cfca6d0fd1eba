"""The KPIs and the list behind a figure filter by appeal type (诉求类型), as they do by channel."""

from civicloop.cases import services as s
from civicloop.cases.constants import AppealType, Channel
from civicloop.dashboard.metrics import Filters, Part, cases_behind, compute, metric_scope_for, today_local
from civicloop.dashboard.selectors import period_of
from civicloop.dashboard.services import rollups_refresh


def test_intake_and_its_cases_by_appeal_type(world, cats):
    for appeal_type in (AppealType.CONSULTATION, AppealType.COMPLAINT, AppealType.COMPLAINT):
        s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, description="诉求",
                        place_id=world.comm_a1.pk, appeal_type=appeal_type)
    rollups_refresh()
    scope, period = metric_scope_for(world.district_admin), period_of(today_local(), today_local())
    counts = {t: compute(scope, period, Filters(appeal_type=t))["intake"].numerator for t in AppealType.values}
    assert counts == {"consultation": 1, "help": 0, "complaint": 2, "suggestion": 0, "praise": 0}
    behind = cases_behind(world.district_admin, "intake", Part.NUMERATOR, period, Filters(appeal_type="complaint"))
    assert behind.count() == 2
