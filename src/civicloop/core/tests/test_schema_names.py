"""The OpenAPI document names each response and request schema by its class name: two classes of one name (in two
apps, or two parts of one app) would share one entry in `components`, and one of them would be documented wrong."""

from ninja import Schema

from civicloop.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_schema_classes_share_a_name():
    api.get_openapi_schema()  # every router imported
    by_name: dict[str, set[str]] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("civicloop."):
            by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert not {name: where for name, where in by_name.items() if len(where) > 1}


def test_plain_cuts_data_to_the_schema_without_validating():
    from civicloop.core.api import plain

    class Inner(Schema):
        a: int
        b: str | None

    class Outer(Schema):
        items: list[Inner]
        one: Inner | None
        when: str

    data = {"items": [{"a": 1, "b": None, "extra": "x"}, {"a": 2, "b": "y"}], "one": None, "when": "now", "more": 1}
    assert plain(Outer, data) == {"items": [{"a": 1, "b": None}, {"a": 2, "b": "y"}], "one": None, "when": "now"}
    assert plain(Outer, {**data, "one": {"a": 3, "b": "z", "c": 0}})["one"] == {"a": 3, "b": "z"}


def test_no_two_enums_of_the_schemas_share_a_name():
    """Choices used in a schema (a finding's severity, an alarm's) are components too: two enums of one name — the
    assessment's `Severity` and the signs' — left one of them documented with the other's values, and a valid
    request refused (schemathesis found it)."""
    import enum
    import typing

    api.get_openapi_schema()
    by_name: dict[str, set[str]] = {}

    def enums_in(annotation):
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            yield annotation
        for arg in typing.get_args(annotation):
            yield from enums_in(arg)

    for cls in _subclasses(Schema):
        if not cls.__module__.startswith("civicloop."):
            continue
        for field in cls.model_fields.values():
            for e in enums_in(field.annotation):
                by_name.setdefault(e.__name__, set()).add(f"{e.__module__}.{e.__qualname__}")
    assert by_name, "no enum found: the walk is broken"
    assert not {name: where for name, where in by_name.items() if len(where) > 1}
