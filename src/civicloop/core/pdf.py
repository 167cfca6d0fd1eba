"""Printable PDFs set in a CJK font (fpdf2): a title, a few lines of text and bordered tables — the weekly report
(dashboard.report_render) and the responsibility letters (plans) are both made of these.

The font is Debian's fonts-wqy-microhei (文泉驿微米黑) at its packaged path, the font the browser tests
already install; `make install` (so `make demo`) and scripts/test.sh install it (scripts/fonts.sh).
`settings.CIVICLOOP["REPORT_FONT"]` names another TrueType file (.ttf/.ttc). Without it a PDF is refused with
report_font_missing (503): never a PDF of empty boxes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import CivicError, register_error_codes

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # Debian: fonts-wqy-microhei


class PdfErrorCode(StrEnum):
    FONT_MISSING = "report_font_missing"  # the server lacks the CJK font PDFs are set in (the value predates core.pdf)


register_error_codes(PdfErrorCode, {
    PdfErrorCode.FONT_MISSING: (503, gettext_lazy("服务器未安装生成 PDF 所需的中文字体（文泉驿微米黑），请管理员运行 make install 或 apt-get install fonts-wqy-microhei。")),
})


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name, the section's heading
    columns: list[str]
    rows: list[list]
    total: int | None = None  # a list's whole count when `rows` is capped


def pdf_font() -> Path:
    """The CJK font file PDFs are set in; refused (report_font_missing) when the server lacks it."""
    path = Path(settings.CIVICLOOP.get("REPORT_FONT") or DEFAULT_FONT)
    if not path.is_file():
        raise CivicError(PdfErrorCode.FONT_MISSING)
    return path


def shown(value) -> str:
    """A cell as text (page and PDF): date-times to the minute, none as empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def tables_pdf(*, title: str, lines: Sequence[str], tables: Sequence[Table],
               widths: Sequence[Sequence[float] | None] = (), orientation: str = "landscape",
               closing: Sequence[str] = ()) -> bytes:
    """An A4 PDF: `title`, the `lines` under it, each table (its heading repeated on each page; `widths[i]`
    the relative column widths of table i, equal when absent), then the `closing` lines — all in the CJK font
    (`pdf_font`), subset and embedded."""
    from fpdf import FPDF

    font = pdf_font()
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.set_title(title)
    pdf.set_creator("civicloop")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    for index, table in enumerate(tables):
        if pdf.get_y() > pdf.h - 40:  # no heading alone at a page's foot
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font("cjk", size=12)
        name = table.name if table.total is None or table.total == len(table.rows) else _(
            "%(name)s（共 %(total)s 条，列出前 %(shown)s 条）") % {"name": table.name, "total": table.total,
                                                              "shown": len(table.rows)}
        pdf.multi_cell(0, 7, name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=8)
        if not table.rows:
            pdf.multi_cell(0, 5, _("（无）"), new_x="LMARGIN", new_y="NEXT")
            continue
        w = widths[index] if index < len(widths) and widths[index] else (1,) * len(table.columns)
        _pdf_table(pdf, w, table.columns, [[shown(v) for v in row] for row in table.rows])
    if closing:
        pdf.ln(6)
        pdf.set_font("cjk", size=10)
        for line in closing:
            pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


_LINE = 4.5  # mm, a table line at 8 pt


def _pdf_table(pdf, widths, columns: list[str], rows: list[list[str]]) -> None:
    """A bordered table, its heading row repeated on every page. fpdf2's own `table()` breaks every cell's text
    into lines twice (to size the row, then to draw it) — most of a 1,000-row report's time. Here a cell that fits
    on one line is measured once (`get_string_width`) and drawn as one `cell`; only the longer ones are broken into
    lines (`multi_cell(dry_run=True)`), once."""
    total = sum(widths)
    mm = [pdf.epw * w / total for w in widths]
    pad = 2 * pdf.c_margin

    def lines_of(text: str, w: float) -> list[str]:
        if "\n" not in text and pdf.get_string_width(text) <= w - pad:
            return [text]
        return pdf.multi_cell(w, _LINE, text, dry_run=True, output="LINES") or [""]

    def draw(cells: list[list[str]], height: float, fill: bool) -> None:
        x, y = pdf.l_margin, pdf.get_y()
        for w, lines in zip(mm, cells, strict=True):
            pdf.rect(x, y, w, height, style="DF" if fill else "D")
            for k, line in enumerate(lines):
                pdf.set_xy(x, y + k * _LINE)
                pdf.cell(w, _LINE, line)
            x += w
        pdf.set_xy(pdf.l_margin, y + height)

    heading = [lines_of(c, w) for c, w in zip(columns, mm, strict=True)]
    heading_height = max(len(c) for c in heading) * _LINE
    pdf.set_fill_color(221, 235, 247)
    draw(heading, heading_height, True)
    for row in rows:
        cells = [lines_of(text, w) for text, w in zip(row, mm, strict=True)]
        height = max(len(c) for c in cells) * _LINE
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            draw(heading, heading_height, True)
        draw(cells, height, False)
