"""One case row for the inbox, the case list and the detail (`rows.CASE_ROW`), and the transports' shared parts."""

import ast
from pathlib import Path

from django.utils import timezone

import civicloop.api  # noqa: F401 — first, while app APIs import the shared pieces from it (issue 10)
from civicloop.cases import actions, views
from civicloop.cases.api import CaseDetailOut, CaseOut
from civicloop.cases.inbox import inbox_for
from civicloop.cases.rows import CASE_ROW, case_row
from civicloop.cases.selectors import case_detail, case_list_for


def test_case_out_is_a_row_and_its_label():
    assert [name for name in CaseOut.model_fields if name != "state_label"] == list(CASE_ROW)
    assert "state_label" in CaseOut.model_fields
    assert set(CaseDetailOut.model_fields) >= set(CASE_ROW)


def test_list_detail_and_inbox_give_the_same_row(world, flow):
    case = flow.dispatched()
    now = timezone.now()
    [from_inbox] = inbox_for(world.dept_handler, now=now)["to_accept"]["cases"]
    [from_list] = [case_row(c) for c in case_list_for(world.dept_handler, now=now)]
    from_detail = case_row(case_detail(world.dept_handler, case.pk)["case"])
    assert from_inbox == from_list == from_detail
    assert list(from_inbox) == list(CASE_ROW)


def test_a_row_without_relations_or_clock(world, flow):
    case = flow.register()
    row = case_row(case)  # not annotated: no clock to show
    assert row["lead_unit"] is None and row["category"] is None and row["time_state"] == "none"


def test_pages_import_the_action_table_not_the_api():
    tree = ast.parse(Path(views.__file__).read_text())
    imported = {(node.level, node.module, alias.name) for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert not {i for i in imported if i[1] in ("api", "civicloop.cases.api") or i[2] == "api"}
    assert set(actions.ACTION_SCHEMAS) == set(actions.ACTION_SERVICES)
