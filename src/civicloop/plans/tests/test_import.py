"""A plan's task list from Excel through the imports framework: a good file makes the tree (and updates on a
second run); a bad file changes nothing and says which rows are wrong."""

import io

import openpyxl
import pytest

from civicloop.core.errors import CivicError
from civicloop.imports.services import import_run
from civicloop.plans.models import Task

pytestmark = pytest.mark.django_db

HEADER = ["计划编号", "任务编号", "任务", "上级任务编号", "目标", "责任单位编码", "配合单位编码", "开始日期", "完成时限",
          "权重", "任务说明"]


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(world, rows, **kw):
    return import_run(actor=world.district_admin, kind="plan_tasks", file_path_or_bytes=xlsx([HEADER, *rows]),
                      filename="tasks.xlsx", **kw)


def good_rows(plan):
    p = str(plan.pk)
    return [
        [p, "1", "甲街道三旧变三新", "", "", "U-SA", "", "2026-02-01", "2026-12-31", "1", ""],
        [p, "1.1", "旧小区变新家园", "1", "", "U-SA", "U-HOUSING、U-CITY", "2026-02-01", "2026-10-31", "3", "三处"],
        [p, "1.2", "旧街区变新风貌", "1", "", "U-CA1", "", "2026-03-01", "2026-11-30", "1", ""],
    ]


def test_a_good_file_makes_the_tree_and_a_second_run_updates(world, plan_world):
    before = Task.objects.count()
    result = run(world, good_rows(plan_world.plan))
    assert (result.created, result.updated) == (3, 0)
    assert Task.objects.count() == before + 3
    parent = Task.objects.get(plan=plan_world.plan, code="1")
    child = Task.objects.get(plan=plan_world.plan, code="1.1")
    assert child.parent_id == parent.pk and child.weight == 3 and child.street_id == world.street_a.pk
    assert set(child.co_units.values_list("code", flat=True)) == {"U-HOUSING", "U-CITY"}
    assert Task.objects.get(code="1.2").street_id == world.street_a.pk  # the committee's street
    rows = good_rows(plan_world.plan)
    rows[2][8] = "2026-12-15"
    again = run(world, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert str(Task.objects.get(code="1.2").due) == "2026-12-15"


def test_a_bad_file_changes_nothing(world, plan_world):
    before = sorted(Task.objects.values_list("pk", "title", "due"))
    rows = good_rows(plan_world.plan)
    rows[1][5] = "U-NOPE"  # unknown unit
    rows[2][3] = "9"  # unknown parent
    rows.append([str(plan_world.plan.pk), "2", "日期颠倒", "", "", "U-SB", "", "2026-09-01", "2026-03-01", "", ""])
    rows.append(["999999", "3", "别的计划", "", "", "U-SB", "", "", "2026-03-01", "", ""])
    with pytest.raises(CivicError) as exc:
        run(world, rows)
    assert exc.value.code == "import_rows_invalid"
    where = [d["where"] for d in exc.value.details]
    assert where == ["第3行", "第4行", "第5行", "第6行"]
    assert sorted(Task.objects.values_list("pk", "title", "due")) == before


def test_only_who_may_add_tasks_imports(world, plan_world):
    from civicloop.orgs.constants import Role
    from civicloop.testing import make_user

    street_admin = make_user("street_admin", world.street_a_office, Role.DISTRICT_ADMIN)
    with pytest.raises(CivicError):
        import_run(actor=street_admin, kind="plan_tasks", file_path_or_bytes=xlsx([HEADER, *good_rows(plan_world.plan)]),
                   filename="t.xlsx")
    assert not Task.objects.filter(code="1").exists()
