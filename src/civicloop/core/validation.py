"""Schema validation refusals a person can read: pydantic's English errors turned into translated details.

One place for pages (`cases.views._validated`) and the API (`core.api`'s ValidationError handler): each pydantic
error `type` maps to a translatable sentence (its `ctx` — limits, patterns — filled in), and each field name to a
label: the schema Field's `title` when the schema is known, else the labels apps declare (`field_labels` on their
AppConfig, see core.registry), else the name itself. A detail reads {"where", "field": label, "name", "reason"}:
`field` is what a person sees ("办理结果"), `name` the stable key a client matches on ("result").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

# pydantic error type → message; `%(…)s` takes the error's ctx (min_length, max_length, ge, le, expected …).
MESSAGES: dict[str, Any] = {
    "missing": _("请填写"),
    "string_too_short": _("至少 %(min_length)s 个字符"),
    "string_too_long": _("最多 %(max_length)s 个字符"),
    "too_short": _("至少 %(min_length)s 项"),
    "too_long": _("最多 %(max_length)s 项"),
    "string_type": _("应为文本"),
    "string_pattern_mismatch": _("格式不对，或不能只填空白"),
    "int_parsing": _("应为整数"),
    "int_type": _("应为整数"),
    "int_from_float": _("应为整数"),
    "float_parsing": _("应为数字"),
    "float_type": _("应为数字"),
    "greater_than_equal": _("不能小于 %(ge)s"),
    "greater_than": _("应大于 %(gt)s"),
    "less_than_equal": _("不能大于 %(le)s"),
    "less_than": _("应小于 %(lt)s"),
    "bool_parsing": _("应为是或否"),
    "bool_type": _("应为是或否"),
    "enum": _("不是可选的值之一（%(expected)s）"),
    "literal_error": _("不是可选的值之一（%(expected)s）"),
    "json_invalid": _("不是有效的 JSON"),
    "json_type": _("不是有效的 JSON"),
    "list_type": _("应为列表"),
    "dict_type": _("应为对象"),
    "model_type": _("应为对象"),
    "model_attributes_type": _("应为对象"),
    "date_parsing": _("应为日期（年-月-日）"),
    "date_from_datetime_parsing": _("应为日期（年-月-日）"),
    "date_type": _("应为日期（年-月-日）"),
    "datetime_parsing": _("应为日期时间"),
    "datetime_from_date_parsing": _("应为日期时间"),
    "datetime_type": _("应为日期时间"),
    "uuid_parsing": _("格式不对"),
    "extra_forbidden": _("不接受此项"),
    "value_error": _("值无效"),
    "none_required": _("应为空"),
}
OTHER = _("值无效")

# Labels every app shares (the request's parts and the common fields of core.api).
COMMON_LABELS: dict[str, Any] = {
    "body": _("请求体"),
    "code": _("编码"),
    "expected_version": _("版本号"),
    "limit": _("每页条数"),
    "offset": _("起始位置"),
    "note": _("备注"),
    "reason": _("理由"),
}


def _message(error: dict) -> str:
    template = MESSAGES.get(error.get("type", ""), OTHER)
    text = str(template)  # a lazy translation, in the request's language
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace("'", "").replace(" or ", "、").replace(", ", "、")
    try:
        return text % ctx if "%(" in text else text
    except (KeyError, TypeError, ValueError):
        return str(OTHER)


def _schema_title(model: Any, names: list) -> str | None:
    """The `title` of the Field at `names` inside `model` (descending through nested schemas), or None."""
    field = None
    for name in names:
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or name not in model.model_fields:
            return None
        field = model.model_fields[name]
        model = field.annotation
    return field.title if field is not None else None


def field_label(name: str, *, model: Any = None, path: list | None = None) -> str:
    from civicloop.core import registry  # the registry reads AppConfigs: only once apps are ready

    if model is not None:
        title = _schema_title(model, path if path is not None else [name])
        if title:
            return str(title)
    label = registry.field_labels().get(name) or COMMON_LABELS.get(name)
    return str(label) if label else name


def error_details(errors: list[dict], *, model: Any = None, strip: int = 0) -> list[dict]:
    """`errors` (pydantic's `errors()`, or ninja's with the request part first in `loc`) as translated details.

    `strip`: how many leading `loc` items are not fields of `model` (ninja's "body", its parameter name)."""
    details = []
    for error in errors:
        loc = [p for p in error.get("loc", ()) if p != "__root__"]
        names = [p for p in loc if isinstance(p, str)]
        name = names[-1] if names else ""
        path = [p for p in loc[strip:] if isinstance(p, str)]
        label = field_label(name, model=model, path=path) if name else ""
        details.append({"where": ".".join(str(p) for p in loc), "field": label, "name": name,
                        "reason": _message(error)})
    return details
