"""Numbers typed into a case's free text, as each viewer gets them: the rows (list, inbox), the detail and its
timeline, notifications. The whole-application scan is tests/test_personal_data_scan.py."""

from civicloop.cases import rows, selectors
from civicloop.cases.inbox import inbox_for

PHONE = "13800138001"


def test_rows_detail_and_timeline_are_masked_without_the_right(world, flow):
    case = flow.dispatched(description=f"请回电{PHONE}", address="座机021-64870001")
    for viewer, clear in ((world.dept_handler, True), (world.street_dispatcher, True), (world.leader, False),
                          (world.committee_worker, False)):
        [row] = rows.case_rows_for(viewer, [selectors.case_get_for(viewer, case.pk)])
        assert (PHONE in row["description"]) is clear, viewer
        assert ("64870001" in row["address"]) is clear, viewer
        detail = selectors.case_detail(viewer, case.pk)
        assert (PHONE in detail["case"].description) is clear, viewer
    masked = selectors.case_detail(world.leader, case.pk)["case"]
    assert masked.description == "请回电138****8001"
    case.refresh_from_db()
    assert case.description == f"请回电{PHONE}"  # stored intact


def test_a_masked_case_cannot_be_saved(world, flow):
    case = flow.dispatched(description=f"请回电{PHONE}")
    masked = selectors.case_detail(world.leader, case.pk)["case"]
    try:
        masked.save()
    except RuntimeError:
        pass
    else:
        raise AssertionError("a masked instance was saved")


def test_the_inbox_masks_per_case_from_the_columns_it_reads(world, flow, monkeypatch):
    case = flow.dispatched(description=f"请回电{PHONE}")
    [row] = [r for r in inbox_for(world.dept_handler)["to_accept"]["cases"] if r["id"] == case.pk]
    assert PHONE in row["description"]  # the lead unit's handler has the right
    seen = []

    def no_right(actor, columns):
        seen.append((columns.lead_unit_id, columns.street_id, columns.community_id, columns.district_id))
        return False

    monkeypatch.setattr(rows, "may_unmask", no_right)
    [row] = [r for r in inbox_for(world.dept_handler)["to_accept"]["cases"] if r["id"] == case.pk]
    assert row["description"] == "请回电138****8001"
    assert seen == [(world.housing.pk, world.street_a.pk, world.comm_a1.pk, world.district.pk)]
