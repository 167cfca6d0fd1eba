"""The demo's cases in slices (cases/demo_slices.py): forked processes write exactly the rows the same slices give
in one process; a slice's failure fails the whole demo and leaves nothing behind."""

import datetime as dt

import pytest

from civicloop.cases import demo as cases_demo
from civicloop.cases import demo_slices
from civicloop.cases.models import (
    AgendaItem,
    Case,
    CaseCoUnit,
    CaseCounter,
    CaseEvent,
    Decision,
    ExtensionRequest,
    Meeting,
    Rating,
    Reply,
    Supervision,
)
from civicloop.demo.generator import district_reset, generate, preset_district

SCALE = 0.004  # 2,000 cases: 500 a slice
END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_end(monkeypatch):
    monkeypatch.setattr(cases_demo, "cases_end", lambda: END)


def _rows() -> dict:
    """What every cases table holds, by natural keys (a reset makes the district's units and users anew, with
    other ids)."""
    return {
        "cases": list(Case.objects.order_by("tracking_code").values_list(
            "tracking_code", "state", "channel", "created_at", "deadline", "resolved_at", "version", "description",
            "category_id", "reporter_name", "satisfaction", "lead_unit__code", "merged_into__tracking_code")),
        "events": list(CaseEvent.objects.order_by("case__tracking_code", "seq").values_list(
            "case__tracking_code", "seq", "action", "at", "note", "actor__username")),
        "co_units": sorted(CaseCoUnit.objects.values_list("case__tracking_code", "unit__code")),
        "replies": sorted(Reply.objects.values_list("case__tracking_code", "at", "channel", "content",
                                                    "via_case__tracking_code"), key=str),
        "ratings": sorted(Rating.objects.values_list("case__tracking_code", "at", "value")),
        "extensions": sorted(ExtensionRequest.objects.values_list("case__tracking_code", "requested_at", "days",
                                                                  "state")),
        "supervisions": sorted(Supervision.objects.values_list("case__tracking_code", "opened_at", "overdue_episode")),
        "meetings": sorted(Meeting.objects.values_list("date", "title")),
        "items": sorted(AgendaItem.objects.values_list("meeting__date", "case__tracking_code")),
        "decisions": sorted(Decision.objects.values_list("item__case__tracking_code", "lead_unit__code", "deadline")),
        "counters": sorted(CaseCounter.objects.values_list("year", "last")),
    }


def test_slices_in_processes_write_the_rows_of_slices_in_one_process(monkeypatch):
    monkeypatch.setenv("CIVICLOOP_DEMO_WORKERS", "2")
    assert demo_slices.workers() == 2
    generate("xuhui", scale=SCALE, seed=5, apps=("cases",))
    forked = _rows()
    district_reset(preset_district("xuhui"))
    monkeypatch.setenv("CIVICLOOP_DEMO_WORKERS", "0")
    assert demo_slices.workers() == 0
    generate("xuhui", scale=SCALE, seed=5, apps=("cases",))
    assert _rows() == forked
    cases = forked["cases"]
    assert len(cases) == round(cases_demo.CASES_AT_SCALE_1 * SCALE)
    # the slices' tracking numbers follow each other: every number of a year from 1 to its counter, once
    numbers: dict[int, list[int]] = {}
    for code, *_ in cases:
        numbers.setdefault(int(code[-12:-8]), []).append(int(code[-7:]))
    assert {year: sorted(n) for year, n in numbers.items()} == {
        year: list(range(1, last + 1)) for year, last in forked["counters"]}
    assert forked["items"] and len({d for d, _t in forked["meetings"]}) == len(forked["meetings"])
    assert any(c[-1] for c in cases)  # merges (inside a slice)


def test_a_failing_slice_fails_the_demo_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("CIVICLOOP_DEMO_WORKERS", "2")
    real = cases_demo.Generator.case

    def case(self, t0):
        if t0 > END - dt.timedelta(days=100):  # in the last slice's process
            raise ValueError("a slice broke")
        return real(self, t0)

    monkeypatch.setattr(cases_demo.Generator, "case", case)
    with pytest.raises(RuntimeError, match="a slice broke"):
        generate("xuhui", scale=SCALE, seed=5, apps=("cases",))
    assert preset_district("xuhui") is None and not Case.objects.exists() and not CaseEvent.objects.exists()
