"""Work orders in: idempotent by work-order number, all or nothing, unmapped categories reported, routed by address."""

import pytest
from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases.constants import AppealType, CaseState, Channel, Urgency
from civicloop.cases.inbox import inbox_for
from civicloop.cases.models import Case, CaseEvent
from civicloop.cases.selectors import case_list_for
from civicloop.core.errors import CivicError
from civicloop.hotline.models import WorkOrder
from civicloop.imports.error_codes import ImportErrorCode

from .conftest import csv_of

ROWS = (
    "HL001,2026-12-01 08:42,市容环境/乱堆乱放,求助,楼道堆物影响通行,测试区甲街道1居委小区3号,13812340001,一般,2026-12-15 17:00",
    "HL002,2026-12-01 09:05,生态环境/噪声污染,投诉,夜间饭店排风机噪声,测试区乙街道2居委,13812340002,紧急,2026-12-05",
    "HL003,2026/12/01 09:31,市容环境/乱堆乱放,咨询,咨询大件垃圾预约,某省某市某路,,,",
)


def hotline_cases():
    return {c.external_id: c for c in Case.objects.filter(channel=Channel.HOTLINE_12345)}


def test_a_file_imported_twice_gives_the_same_cases(world, mapped, run):
    first = run(csv_of(*ROWS))
    assert (first.created, first.updated, first.unchanged, first.skipped) == (3, 0, 0, 0)
    cases = hotline_cases()
    assert set(cases) == {"HL001", "HL002", "HL003"}
    assert cases["HL001"].category.code == "0103" and cases["HL002"].urgency == Urgency.URGENT
    assert cases["HL002"].appeal_type == AppealType.COMPLAINT and cases["HL003"].appeal_type == AppealType.CONSULTATION
    assert cases["HL003"].reporter_anonymous and cases["HL001"].reporter_phone == "13812340001"
    order = WorkOrder.objects.get(work_order_no="HL002")
    assert order.case_id == cases["HL002"].pk and timezone.localtime(order.deadline).hour == 23  # a date alone: the end of that day

    again = run(csv_of(*ROWS))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert {k: (c.pk, c.tracking_code, c.version) for k, c in hotline_cases().items()} == {
        k: (c.pk, c.tracking_code, c.version) for k, c in cases.items()}
    assert WorkOrder.objects.count() == 3


def test_a_re_import_updates_urgency_and_deadline_never_duplicates(world, mapped, run, cats):
    run(csv_of(*ROWS))
    dispatched = hotline_cases()["HL002"]
    s.case_triage(actor=world.district_admin, case_id=dispatched.pk, category_id=cats["0401"].pk, urgency="urgent")
    s.case_dispatch(actor=world.district_admin, case_id=dispatched.pk, lead_unit_id=world.city_mgmt.pk)
    changed = (ROWS[0].replace(",一般,2026-12-15 17:00", ",特急,2026-12-02 12:00"),
               ROWS[1].replace(",紧急,2026-12-05", ",特急,2026-12-03"), ROWS[2])
    result = run(csv_of(*changed))
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert Case.objects.filter(channel=Channel.HOTLINE_12345).count() == 3
    cases = hotline_cases()
    assert cases["HL001"].urgency == Urgency.CRITICAL  # never dispatched: the case follows (a triage step)
    assert CaseEvent.objects.filter(case=cases["HL001"], action="triage", note__contains="HL001").exists()
    assert cases["HL002"].urgency == Urgency.URGENT and cases["HL002"].state == CaseState.DISPATCHED  # dispatched
    assert WorkOrder.objects.get(work_order_no="HL002").urgency == Urgency.CRITICAL
    assert WorkOrder.objects.get(work_order_no="HL001").deadline.day == 2


def test_a_file_with_bad_rows_writes_nothing(world, mapped, run):
    bad = (ROWS[0], "HL002,2026-12-01 09:05,生态环境/噪声污染,投诉,噪声,,12345,一般,",
           "HL003,昨天,市容环境/乱堆乱放,咨询,,,,,", "HL001,2026-12-01 08:42,市容环境/乱堆乱放,求助,重复,,,,")
    with pytest.raises(CivicError) as exc:
        run(csv_of(*bad))
    assert exc.value.code == ImportErrorCode.IMPORT_ROWS_INVALID
    where = [(d["where"], d["field"]) for d in exc.value.details]
    assert ("第3行", "来电号码") in where and ("第4行", "受理时间") in where and ("第4行", "诉求内容") in where
    assert ("第5行", "工单号") in where  # the same number twice in one file
    assert not Case.objects.exists() and not WorkOrder.objects.exists()


def test_an_unmapped_category_is_reported_and_not_registered(world, mapped, run):
    result = run(csv_of(ROWS[0], "HL009,2026-12-01 13:02,其他/其他,咨询,咨询居住证积分,,13812340009,一般,",
                        "HL010,2026-12-01 13:05,其他/其他,咨询,咨询落户,,,一般,"))
    assert (result.created, result.skipped) == (1, 2)
    assert any("其他/其他" in n and "2 行" in n for n in result.notices), result.notices
    assert set(hotline_cases()) == {"HL001"}
    dry = run(csv_of("HL011,2026-12-01 13:02,其他/未知,咨询,咨询,,,一般,"), dry_run=True)
    assert dry.skipped == 1 and any("其他/未知" in n for n in dry.notices)


def test_imported_cases_land_in_the_inbox_their_address_names(world, mapped, run):
    run(csv_of(*ROWS))
    cases = hotline_cases()
    assert cases["HL001"].community_id == world.comm_a1.pk and cases["HL001"].street_id == world.street_a.pk
    assert cases["HL002"].street_id == world.street_b.pk and cases["HL002"].community.name == "测试区乙街道2居委"
    assert cases["HL003"].street_id is None  # no place named: the district's
    street_a = [c["id"] for c in inbox_for(world.street_dispatcher)["to_triage"]["cases"]]
    assert cases["HL001"].pk in street_a and cases["HL003"].pk not in street_a
    assert case_list_for(world.district_admin).filter(pk=cases["HL003"].pk).exists()
    assert any("地址未匹配" in n for n in run(csv_of(*ROWS), dry_run=True).notices)


def test_only_a_district_admin_imports(world, mapped):
    from civicloop.imports.services import import_run

    with pytest.raises(CivicError):
        import_run(actor=world.street_dispatcher, kind="hotline_orders", file_path_or_bytes=csv_of(ROWS[0]),
                   filename="x.csv")
    assert not Case.objects.exists()


def test_the_command_line_imports_and_reports_the_unmapped(world, mapped, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "12345.csv"
    path.write_bytes(csv_of(ROWS[0], "HL009,2026-12-01 13:02,其他/其他,咨询,咨询,,,一般,"))
    call_command("import", "hotline_orders", str(path), "--user", world.district_admin.username)
    out = capsys.readouterr().out
    assert "其他/其他" in out and "跳过 1 行" in out
    assert set(hotline_cases()) == {"HL001"}
