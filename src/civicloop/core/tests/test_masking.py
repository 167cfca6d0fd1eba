"""Numbers typed into free text: `mask_free_text` masks phone and ID numbers and nothing else."""

import pytest

from civicloop.core.masking import has_full_number, mask_free_text, mask_url
from civicloop.core.validators import make_id_number

ID18 = make_id_number("31010419800101123")  # a valid check digit
ID18_X = "11010519491231002X"


@pytest.mark.parametrize(("text", "expected"), [
    ("请联系13912345678处理", "请联系139****5678处理"),
    ("电话：139-1234-5678。", "电话：139****5678。"),
    ("电话 139 1234 5678", "电话 139****5678"),
    ("+8613912345678", "139****5678"),
    ("座机021-64871234", "座机021-****1234"),
    ("座机(0512)6512345", "座机(0512)****2345"),
    ("座机64871234转", "座机****1234转"),
    (f"身份证{ID18}", f"身份证{ID18[:4]}**********{ID18[-4:]}"),
    (f"身份证 {ID18_X} 复印件", "身份证 1101**********002X 复印件"),
    ("老身份证310104800101123", "老身份证3101*******1123"),
    ("两个号码13912345678、15800001111", "两个号码139****5678、158****1111"),
    ("tel13912345678", "tel139****5678"),  # a mobile number glued to a word is still one
    (f"ID:{ID18}.", f"ID:{ID18[:4]}**********{ID18[-4:]}."),
])
def test_masks_numbers(text, expected):
    assert mask_free_text(text) == expected
    assert has_full_number(text)
    assert not has_full_number(mask_free_text(text))


@pytest.mark.parametrize("text", [
    "工单 XH2026-0004711 已派单",  # tracking codes
    "XH2026-00047110",
    "2026-01-05 之前办结", "20260105前", "19991231", "2026年1月5日",  # dates
    "91310104MA1FR0XK4G",  # a credit code
    "310104002001-C01-B01-0101",  # a household code (place codes are 12 digits)
    "310104002001",
    "12345678元",  # an amount, not a number starting 2–9
    "3号楼101室", "人数 4", "",
    "X64871234", "64871234B",  # eight digits glued to letters: part of a code, not a landline
    "139123456789",  # 12 digits: not a mobile
])
def test_leaves_other_text_alone(text):
    assert mask_free_text(text) == text
    assert not has_full_number(text)


def test_none_is_empty():
    assert mask_free_text(None) == ""


@pytest.mark.parametrize(("url", "expected"), [
    ("GET /api/cases/?q=13912345678 HTTP/1.1", "GET /api/cases/?q=139****5678 HTTP/1.1"),
    ("/api/cases/?q=%2B86+139+1234+5678", "/api/cases/?q=139****5678"),
    ("/api/cases/?q=139%201234%205678&page=2", "/api/cases/?q=139****5678&page=2"),
    ("/cases/XH2026-0004711/", "/cases/XH2026-0004711/"),
    ("/api/cases/?q=a+b", "/api/cases/?q=a+b"),  # nothing to mask: left exactly as it was
])
def test_mask_url(url, expected):
    assert mask_url(url) == expected
