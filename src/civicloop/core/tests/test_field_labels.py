"""Every field a client or a form can get wrong has a label (core.validation): a validation refusal never shows a
raw field name. Read from the OpenAPI document, so a new endpoint's parameters are covered without a list."""

from civicloop.api import api
from civicloop.core import registry
from civicloop.core.validation import COMMON_LABELS, error_details


def test_every_api_parameter_and_body_field_has_a_label():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    labels = {**COMMON_LABELS, **registry.field_labels()}
    missing = set()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            missing |= {(path, p["name"]) for p in operation.get("parameters", []) if p["name"] not in labels}
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in body:
                properties = components[body["$ref"].split("/")[-1]].get("properties", {})
                # pydantic writes a "title" for every property ("count" → "Count"): a label of ours counts, or a
                # Field(title=…) of the schema (core.validation reads it when it knows the schema)
                missing |= {(path, name) for name, prop in properties.items()
                            if name not in labels and prop.get("title") in (None, name.replace("_", " ").title())}
    assert not missing, sorted(missing)


def test_an_unknown_error_type_reads_as_invalid_value_not_english():
    detail = error_details([{"type": "some_new_pydantic_type", "loc": ("body", "payload", "code"),
                             "msg": "Something English", "ctx": {}}])[0]
    assert detail == {"where": "body.payload.code", "field": "编码", "name": "code", "reason": "值无效"}
