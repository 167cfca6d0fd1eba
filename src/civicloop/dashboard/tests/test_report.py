"""The weekly report: one structure (report.report_for) and its three renderings — the workbook's sheets hold the
structure's rows, the page shows them, the PDF draws its Chinese (checked as pixels, not as text) — for each
viewer's scope, for a week with nothing, and refusing weeks that do not exist."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from python_calamine import CalamineWorkbook

from civicloop.dashboard.report import report_for, week_of
from civicloop.dashboard.report_render import report_font, report_pdf, report_tables, report_workbook
from civicloop.places.models import Household

API = "/api/dashboard"
W10 = "2026-W10"  # the loop's week: Monday 2 to Sunday 8 March 2026 (the clock stands on Monday 9th)


@pytest.fixture
def campaign(loop):
    """A running campaign over the four households: street A's two visited (one on Sunday 1 March, week 9; one
    on Tuesday 3rd and again on Thursday 5th, week 10), street B's two not."""
    from civicloop.visits.services.records import visit_record
    from civicloop.visits.testing import make_campaign, make_party_org, make_subject, make_team

    w = loop.world
    campaign = make_campaign(w)
    team = make_team(campaign, make_party_org(w))
    subjects = {h.community_id: make_subject(campaign, h, team) for h in Household.objects.filter(district=w.district)}
    recorder = team.members.get(recorder=True).user
    for community, day in ((w.comm_a2, 1), (w.comm_a1, 3), (w.comm_a1, 5)):
        visit_record(actor=recorder, client_id=uuid.uuid4(), subject_id=subjects[community.pk].pk,
                     visited_on=dt.date(2026, 3, day), method="door", satisfaction="satisfied", summary="走访")
    return campaign


def report_json(client, user, week=W10):
    client.force_login(user)
    response = client.get(f"{API}/report?week={week}")
    assert response.status_code == 200, response.content
    return response.json()


def _naive(value):
    """A cell as the workbook keeps it: a date-time as its wall time (Asia/Shanghai, as the report gives it)."""
    return value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value


def codes(rows):
    return sorted(r["tracking_code"] for r in rows)


def test_the_leader_reads_the_district_week(client, loop, campaign):
    n = loop.cases
    data = report_json(client, loop.world.leader)
    assert data["week"] == {"code": W10, "start": "2026-03-02", "end": "2026-03-08"}
    assert data["previous"]["code"] == "2026-W09" and data["scope"]["kind"] == "district"
    kpis = {k["code"]: k for k in data["kpis"]}
    assert kpis["intake"]["numerator"] == 12 and kpis["intake"]["previous_value"] == 0
    assert kpis["intake"]["change"] == 12
    assert kpis["supervised"]["numerator"] == 1 and kpis["escalated"]["numerator"] == 2
    # overdue and unresolved at Sunday's end: c5 (never accepted, due Tuesday) and c7 (due Wednesday, in progress)
    assert codes(data["red"]["rows"]) == sorted([n.c5.tracking_code, n.c7.tracking_code])
    assert data["red"]["count"] == 2 and all(r["overdue_days"] >= 1 for r in data["red"]["rows"])
    assert (data["supervision"]["opened"], data["supervision"]["answered"], data["supervision"]["open_at_end"]) == (1, 0, 1)
    assert [r["tracking_code"] for r in data["supervision"]["rows"]] == [n.c5.tracking_code]
    # c9 escalated at triage and c4 at its second return; both decided on Thursday
    assert data["consultation"]["escalated"] == 2 and data["consultation"]["decided"] == 2
    assert codes(data["consultation"]["rows"]) == sorted([n.c4.tracking_code, n.c9.tracking_code])
    assert all(r["decided_at"] and r["lead_unit"] == "区房管局" for r in data["consultation"]["rows"])
    [visits] = data["visits"]
    assert (visits["subjects"], visits["visited"], visits["visits_in_week"], visits["first_visits_in_week"]) == (4, 2, 2, 1)
    assert sum(g["subjects"] for g in visits["groups"]) == 4 and sum(g["visited"] for g in visits["groups"]) == 2
    assert "13912345678" not in str(data) and "李四" not in str(data)  # no reporter data, numbers masked


def test_coverage_is_as_it_stood_at_the_week_end(client, loop, campaign):
    [visits] = report_json(client, loop.world.leader, "2026-W09")["visits"]
    assert (visits["visited"], visits["visits_in_week"], visits["first_visits_in_week"]) == (1, 1, 1)


def test_a_street_sees_its_street_and_a_department_its_cases(client, loop, campaign):
    n, w = loop.cases, loop.world
    street = report_json(client, w.street_dispatcher)
    assert street["scope"]["kind"] == "street" and street["scope"]["name"] == w.street_a.name
    assert codes(street["red"]["rows"]) == sorted([n.c5.tracking_code, n.c7.tracking_code])
    assert codes(street["consultation"]["rows"]) == [n.c4.tracking_code]  # c9 is street B's
    assert street["visits"][0]["subjects"] == 2 and street["visits"][0]["visited"] == 2
    other_street = report_json(client, w.outsider)
    assert other_street["red"]["count"] == 0 and codes(other_street["consultation"]["rows"]) == [n.c9.tracking_code]
    assert other_street["visits"][0]["subjects"] == 2 and other_street["visits"][0]["visited"] == 0
    department = report_json(client, w.dept_handler)
    assert department["scope"]["kind"] == "department"
    assert department["red"]["count"] == 1 and codes(department["red"]["rows"]) == [n.c7.tracking_code]
    assert department["supervision"]["rows"] == []  # c5 is the city management's
    assert department["visits"] == []  # on no team, no territory: no campaign to read


def test_another_district_reads_an_empty_report_and_nobody_is_refused(client, loop, campaign):
    data = report_json(client, loop.world.stranger)
    assert data["red"] == {"count": 0, "rows": []} and data["consultation"]["rows"] == []
    assert all(k["numerator"] == 0 for k in data["kpis"]) and data["visits"] == []
    client.force_login(loop.world.nobody)
    for path in ("/report", "/report.xlsx", "/report.pdf"):
        response = client.get(f"{API}{path}?week={W10}")
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert client.get(reverse("dashboard:report")).status_code == 403
    client.logout()
    assert client.get(f"{API}/report").status_code == 401


def test_a_week_with_nothing(client, loop, campaign):
    data = report_json(client, loop.world.leader, "2026-W01")
    assert all(k["numerator"] == 0 and k["previous_value"] in (0, None) for k in data["kpis"])
    assert data["red"]["count"] == 0 and data["supervision"]["count"] == 0 and data["consultation"]["rows"] == []
    assert data["visits"] == []  # the campaign starts on 1 March
    tables = report_tables(report_for(loop.world.leader, week_of("2026-W01")))
    assert [len(t.rows) for t in tables] == [len(data["kpis"]), 0, 0, 0, 0]
    page = client.get(reverse("dashboard:report") + "?week=2026-W01").content.decode()
    assert page.count("（无）") == 4


def test_the_default_week_is_the_last_full_week(loop):
    assert week_of(None).start == dt.date(2026, 3, 2)  # the clock is on Monday 9 March
    assert week_of("2026-W10") == week_of(None) and week_of("2020-W53").start == dt.date(2020, 12, 28)


@pytest.mark.parametrize("query, status, code", [
    ("?week=2026-W99", 400, "week_invalid"),
    ("?week=2025-W53", 400, "week_invalid"),  # 2025 has 52 ISO weeks
    ("?week=2026-W12", 400, "week_invalid"),  # not yet begun (the running week, W11, is read as far as it goes)
    ("?week=1999-W10", 400, "week_invalid"),
    ("?week=2026-W00", 400, "week_invalid"),
    ("?week=2026-10", 422, "invalid"),
    ("?week=2026-W1", 422, "invalid"),
    ("?week=2026-W10%00", 422, "invalid"),
    ("?week=%00", 422, "invalid"),
])
def test_bad_weeks_are_refused(client, loop, query, status, code):
    client.force_login(loop.world.leader)
    for path in ("/report", "/report.xlsx", "/report.pdf"):
        response = client.get(f"{API}{path}{query}")
        assert response.status_code == status, (path, response.content)
        body = response.json()
        assert body["code"] == code and body["message"]
        assert all(d.get("field") != "week" for d in body["details"]), body  # named 周次, not by its key
    page = client.get(reverse("dashboard:report") + query)
    assert page.status_code == 400
    assert code == "invalid" or "周次无效" in page.content.decode()


def test_the_workbook_holds_the_structure(client, loop, campaign):
    report = report_for(loop.world.leader, week_of(W10))
    book = CalamineWorkbook.from_filelike(io.BytesIO(report_workbook(report)))
    assert book.sheet_names == ["指标", "超期工单", "督办", "会商", "走访进度"]
    for table, name in zip(report_tables(report), book.sheet_names, strict=True):
        rows = book.get_sheet_by_name(name).to_python()
        assert rows[0] == table.columns
        assert [[None if c == "" else c for c in r] for r in rows[1:]] == [[_naive(c) for c in r] for r in table.rows], name
    sheets = {name: book.get_sheet_by_name(name).to_python()[1:] for name in book.sheet_names}
    # …and the tables are the structure's rows
    assert [r[0] for r in sheets["指标"]] == [k["label"] for k in report["kpis"]]
    on_time = next(k for k in report["kpis"] if k["code"] == "on_time_rate")
    assert sheets["指标"][[k["code"] for k in report["kpis"]].index("on_time_rate")][1] == round(on_time["value"] * 100, 2)
    assert [r[0] for r in sheets["超期工单"]] == [r["tracking_code"] for r in report["red"]["rows"]]
    assert sheets["超期工单"][0][5] == report["red"]["rows"][0]["deadline"].replace(tzinfo=None)
    assert [r[0] for r in sheets["督办"]] == [r["tracking_code"] for r in report["supervision"]["rows"]]
    assert [r[0] for r in sheets["会商"]] == [r["tracking_code"] for r in report["consultation"]["rows"]]
    total = sheets["走访进度"][0]
    assert total[:4] == [campaign.name, "合计", 4, 2] and total[8:] == [2, 1]


def test_the_downloads_are_files_named_by_week(client, loop):
    client.force_login(loop.world.leader)
    xlsx = client.get(f"{API}/report.xlsx?week={W10}")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    assert xlsx["Content-Disposition"] == f'attachment; filename="civicloop-report-{W10}.xlsx"'
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(f"{API}/report.pdf?week={W10}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


def test_without_its_font_the_pdf_is_refused_clearly(client, loop, settings):
    settings.CIVICLOOP = {**settings.CIVICLOOP, "REPORT_FONT": "/nonexistent/font.ttc"}
    client.force_login(loop.world.leader)
    response = client.get(f"{API}/report.pdf?week={W10}")
    assert response.status_code == 503 and response.json()["code"] == "report_font_missing"
    assert "fonts-wqy-microhei" in response.json()["message"]


def test_the_page_shows_the_tables_and_links_the_downloads(client, loop, campaign, django_assert_max_num_queries):
    client.force_login(loop.world.leader)
    with django_assert_max_num_queries(45):
        html = client.get(reverse("dashboard:report") + f"?week={W10}").content.decode()
    assert f'href="/api/dashboard/report.xlsx?week={W10}"' in html and f'href="/api/dashboard/report.pdf?week={W10}"' in html
    assert 'href="?week=2026-W09"' in html and 'href="?week=2026-W11"' in html  # the running week: begun today
    assert "week-after" not in client.get(reverse("dashboard:report") + "?week=2026-W11").content.decode()
    for sheet in ("指标", "超期工单", "督办", "会商", "走访进度"):
        assert f'data-sheet="{sheet}"' in html
    assert loop.cases.c5.tracking_code in html and 'data-label="办理期限："' in html  # a phone names each cell
    assert "@media print" in html and "13912345678" not in html


# ----- the PDF, looked at


def _glyph_crops(pdf_bytes: bytes, text: str, scale: float = 4.0):
    """Render page 1 and cut out each character of `text` (its first occurrence) by the box PDFium gives it:
    [(char, grayscale image)]."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(pdf_bytes)[0]
    width, height = page.get_size()
    image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    textpage = page.get_textpage()
    full = textpage.get_text_range()
    at = full.find(text)
    assert at >= 0, (text, full[:200])
    crops = []
    for i, ch in enumerate(text):
        left, bottom, right, top = textpage.get_charbox(at + i)
        box = (int(left * scale), int((height - top) * scale), int(right * scale) + 1, int((height - bottom) * scale) + 1)
        assert box[2] > box[0] and box[3] > box[1] and box[2] <= width * scale
        crops.append((ch, image.crop(box)))
    return crops


def _ink(img) -> int:
    return sum(1 for v in img.get_flattened_data() if v < 128)


def _same(a, b) -> bool:
    """The same shape: under a tenth of the pixels differ clearly (anti-aliasing at another sub-pixel offset
    changes a few edge pixels: ~3 % between two boxes; two different hanzi differ in ~45 %)."""
    from PIL import ImageChops

    if a.size != b.size:
        b = b.resize(a.size)
    differing = sum(1 for v in ImageChops.difference(a, b).get_flattened_data() if v > 128)
    return differing < 0.1 * a.size[0] * a.size[1]


def test_the_pdf_draws_its_chinese_title_not_boxes(loop):
    """Each character of the title is drawn with ink, and each differently — a missing glyph draws the font's
    .notdef, the same shape for every character (shown on characters the font lacks, so the check can fail)."""
    from fontTools.ttLib import TTCollection, TTFont

    report = report_for(loop.world.leader, week_of(W10))
    pdf = report_pdf(report)
    title = "民情周报"
    crops = _glyph_crops(pdf, title)
    assert all(_ink(img) > 20 for _ch, img in crops), [(ch, _ink(img)) for ch, img in crops]
    for i, (a, img_a) in enumerate(crops):
        for b, img_b in crops[i + 1:]:
            assert not _same(img_a, img_b), (a, b)
    # the control: boxes in place of the title (what tofu looks like) are caught — all one shape, none like the
    # title's glyphs. (fpdf2 leaves a glyph the font lacks out of the text altogether: then the title is not found.)
    from fpdf import FPDF

    control = FPDF()
    control.add_page()
    control.add_font("cjk", fname=str(report_font()))
    control.set_font("cjk", size=16)
    control.cell(text="□□□□")
    boxes = _glyph_crops(bytes(control.output()), "□□□□")
    assert _ink(boxes[0][1]) > 20 and all(_same(boxes[0][1], img) for _ch, img in boxes[1:])
    assert not any(_same(img, boxes[0][1]) for _ch, img in crops)
    # and the font embedded covers every character the first page holds
    path = Path(report_font())
    font = TTCollection(str(path)).fonts[0] if path.suffix == ".ttc" else TTFont(str(path))
    cmap = font.getBestCmap()
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert not {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}


def test_building_the_report_reads_a_bounded_number_of_statements(loop, campaign, django_assert_max_num_queries):
    from civicloop.visits.testing import make_campaign

    make_campaign(loop.world, name="第二次走访")  # a second campaign: a few statements more (26, not 23), no more
    leader = loop.world.leader
    # PostgreSQL: each campaign's coverage is grouped with hash aggregation off (SAVEPOINT, SET LOCAL, RESET, RELEASE)
    pg = 4 * 2 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(30 + pg):
        report = report_for(leader, week_of(W10))
    assert len(report["visits"]) == 2 and report["red"]["count"] == 2


def test_the_red_cases_are_read_as_they_were_at_the_week_end(client, loop, campaign):
    """After the week, c7's deadline is extended past it and c5 is withdrawn: week 10's red list still holds both,
    with the deadline and state of Sunday's end (from the red stretches folded from their events), while the
    running week, read now, holds neither."""
    from civicloop.cases import services as s
    from civicloop.cases.models import Case
    from civicloop.dashboard.services import rollups_refresh

    n, w = loop.cases, loop.world
    before = {r["tracking_code"]: r for r in report_json(client, w.leader)["red"]["rows"]}
    loop.clock.advance(hours=1)
    s.case_request_extension(actor=w.dept_handler, case_id=n.c7.pk, days=10, reason="需协调")
    s.case_approve_extension(actor=w.street_dispatcher, case_id=n.c7.pk)
    s.case_withdraw(actor=w.street_dispatcher, case_id=n.c5.pk, reason="诉求人撤回")
    rollups_refresh(now=loop.clock.t)
    c7 = Case.objects.get(pk=n.c7.pk)
    assert c7.deadline > dt.datetime(2026, 3, 9, tzinfo=c7.deadline.tzinfo)  # no longer past at the week's end
    data = report_json(client, w.leader)
    after = {r["tracking_code"]: r for r in data["red"]["rows"]}
    assert data["red"]["count"] == 2 and after.keys() == {n.c5.tracking_code, n.c7.tracking_code}
    for code in after:  # the deadline, days overdue and state of Sunday's end, not today's
        assert (after[code]["deadline"], after[code]["overdue_days"], after[code]["state"]) == (
            before[code]["deadline"], before[code]["overdue_days"], before[code]["state"])
    assert after[n.c5.tracking_code]["state"] == "dispatched"
    loop.clock.advance(minutes=1)  # at the very moment of a step, the state before it holds
    assert report_json(client, w.leader, "2026-W11")["red"]["count"] == 0  # now: extended, withdrawn
