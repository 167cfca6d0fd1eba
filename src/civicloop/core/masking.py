"""Masking of personal data, done on the server. Unmasked views are logged (`services.personal_data_reveal`)."""

import re


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 7:
        return digits[:3] + "****" + digits[-4:]
    return "****"


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) >= 8:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return "*" * len(value)


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# ----- numbers typed into free text (descriptions, addresses, notes, replies, notifications, log lines)

# A number is whole: no digit touches it on either side. Landlines (shorter, and without the mobile's shape) must
# not touch a letter either, so codes that merely contain digits (tracking codes XH2026-0004711, credit codes,
# place codes) are left alone.
_D_L, _D_R = r"(?<!\d)", r"(?!\d)"
_W_L, _W_R = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
# A compact date (19xx/20xx, real month and day): eight digits that are not a telephone number.
_DATE8 = r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
_FREE_TEXT_NUMBER = re.compile(
    rf"{_D_L}(?P<id18>[1-9]\d{{16}}[\dXx]){_W_R}"  # resident ID number (GB 11643)
    rf"|{_D_L}(?P<id15>[1-9]\d{{14}}){_D_R}"  # first-generation ID number
    rf"|{_D_L}(?P<mobile>(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{{4}}){{2}}){_D_R}"  # mobile, +86 and 139-1234-5678 too
    rf"|{_W_L}(?P<area>\(?0\d{{2,3}}\)?[- ]?[2-9]\d{{6,7}}){_W_R}"  # landline with area code: 021-64871234
    rf"|{_W_L}(?P<local>(?!{_DATE8})[2-9]\d{{7}}){_W_R}"  # an 8-digit number without area code (not a date)
)


def _mask_match(match: re.Match) -> str:
    text = match.group(0)
    kind = match.lastgroup
    if kind in ("id18", "id15"):
        return mask_id_number(text)
    digits = re.sub(r"\D", "", text)
    if kind == "mobile":
        return digits[-11:][:3] + "****" + digits[-4:]
    # landlines: the area code stays, the number shows its last four digits only
    head = re.match(r"\(?0\d{2,3}\)?[- ]?", text) if kind == "area" else None
    return (head.group(0) if head else "") + "****" + digits[-4:]


def mask_free_text(text: str | None) -> str:
    """`text` with every phone and ID number in it masked (mobile 139****5678, landline 021-****1234, ID
    3101**********1234); everything else as it was. For text people type freely: a reporter's number written
    into a description, a note or an address. Stored text keeps the number; this is applied where text is shown
    to a viewer without the right to see the reporter's data."""
    if not text:
        return text or ""
    return _FREE_TEXT_NUMBER.sub(_mask_match, text)


def has_full_number(text: str | None) -> bool:
    """Does `text` hold a phone or ID number `mask_free_text` would mask?"""
    return bool(text) and _FREE_TEXT_NUMBER.search(text) is not None


def _display_only(*args, **kwargs):
    raise RuntimeError("an instance with masked text is for display only and is never saved")


def mask_for_display(obj, *fields: str):
    """Mask the free text of `fields` on `obj`, a model instance loaded to be shown (by a selector, for one
    viewer). It keeps the masked text and can no longer be saved, so a masked value is never written back."""
    for name in fields:
        setattr(obj, name, mask_free_text(getattr(obj, name)))
    obj.save = _display_only
    return obj


# More digits in a row than a masked number shows: a search for them would tell whether a hidden number is there.
LONG_DIGITS = re.compile(r"\d{5,}")


def mask_url(text: str | None) -> str:
    """`mask_free_text` for a URL or request line (a log line's path and query): form spaces (`+`) and the
    percent-encoded separators of a number (`%2B`, `%20`, `%2D`) are read as such first, so `?q=%2B86+139…` is
    masked too."""
    if not text:
        return text or ""
    plain = re.sub(r"%2[bB]", "+", re.sub(r"%20", " ", re.sub(r"%2[dD]", "-", text.replace("+", " "))))
    return mask_free_text(plain) if has_full_number(plain) else text
