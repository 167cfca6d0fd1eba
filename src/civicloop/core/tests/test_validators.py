from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicloop.core.validators import (
    CREDIT_CODE_CHARSET,
    make_credit_code,
    make_id_number,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)

# Published examples: GB 11643 annex, and well-known registered enterprises' codes.
VALID_CREDIT_CODES = ["91350100M000100Y43", "91110000600037341L", "911100001000044477"]
VALID_ID_NUMBERS = ["11010519491231002X", "310104199001011233", "440524198001010013"]


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_real_credit_codes_validate(code):
    assert validate_credit_code(code) == code
    assert validate_credit_code(f"  {code.lower()} ") == code  # normalised


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "校验位错误"),
        ("91350100M000100Y4", "应为18位"),
        ("91350100M0001O0Y43", "非法字符"),  # letter O is not in the charset
        ("", "应为18位"),
    ],
)
def test_bad_credit_codes_refused_with_reason(code, reason):
    with pytest.raises(ValueError, match=reason):
        validate_credit_code(code)


@pytest.mark.parametrize("number", VALID_ID_NUMBERS)
def test_real_id_numbers_validate(number):
    assert validate_id_number(number.lower()) == number


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "校验位错误"),
        ("11010519491331002X", "出生日期无效"),  # month 13
        ("110105190002300000", "出生日期无效"),  # 30 February
        ("11010519491231002", "应为18位"),
        ("1101051949123100ZX", "应为18位"),
    ],
)
def test_bad_id_numbers_refused_with_reason(number, reason):
    with pytest.raises(ValueError, match=reason):
        validate_id_number(number)


def test_id_number_birth_date_in_future_refused():
    number = make_id_number("31010420300101123")
    with pytest.raises(ValueError, match="出生日期无效"):
        validate_id_number(number, today=date(2026, 1, 1))


credit_bodies = st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17)


@given(credit_bodies)
def test_every_generated_credit_code_validates(body):
    code = make_credit_code(body)
    assert code[:17] == body and validate_credit_code(code) == code


@given(credit_bodies, st.sampled_from(CREDIT_CODE_CHARSET))
def test_changing_the_credit_check_char_fails(body, other):
    code = make_credit_code(body)
    if other == code[-1]:
        return
    with pytest.raises(ValueError, match="校验位错误"):
        validate_credit_code(code[:-1] + other)


id_bodies = st.builds(
    lambda region, born, seq: f"{region:06d}{born:%Y%m%d}{seq:03d}",
    st.integers(110000, 659999),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(0, 999),
)


@given(id_bodies)
def test_every_generated_id_number_validates(body):
    number = make_id_number(body)
    assert validate_id_number(number) == number


@given(id_bodies, st.sampled_from("0123456789X"))
def test_changing_the_id_check_digit_fails(body, other):
    number = make_id_number(body)
    if other == number[-1]:
        return
    with pytest.raises(ValueError, match="校验位错误"):
        validate_id_number(number[:-1] + other)


def test_generators_refuse_bad_bodies():
    with pytest.raises(ValueError):
        make_credit_code("9131010")
    with pytest.raises(ValueError):
        make_id_number("3101041990010112A")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("13812341234", "13812341234"),
        ("+86 138 1234 1234", "13812341234"),
        ("021-64871234", "021-64871234"),
        ("(021)64871234", "021-64871234"),
        ("02164871234", "021-64871234"),
        ("64871234", "021-64871234"),  # Shanghai number without area code
        ("0512-6512345", "0512-6512345"),
        ("021-64871234-123", "021-64871234-123"),
        ("64871234转8", "021-64871234-8"),
    ],
)
def test_phone_formats_normalised(raw, normalised):
    assert validate_phone(raw) == normalised


@pytest.mark.parametrize("raw", ["12812341234", "1381234123", "12345", "021-0487123", "0211-6487123", "电话", ""])
def test_bad_phones_refused(raw):
    with pytest.raises(ValueError, match="电话"):
        validate_phone(raw)
