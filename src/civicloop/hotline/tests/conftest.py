import pytest


@pytest.fixture
def cats(db):
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def mapped(world, cats):
    """The test district's mapping: two 12345 categories mapped (乱堆乱放 → 0103, 噪声污染 → 0401)."""
    from civicloop.hotline.services import mapping_set

    mapping_set(actor=world.district_admin, hotline_category="市容环境/乱堆乱放", category_id=cats["0103"].pk)
    mapping_set(actor=world.district_admin, hotline_category="生态环境/噪声污染", category_id=cats["0401"].pk)
    return cats


HEADER = "工单号,受理时间,热线分类,诉求类型,诉求内容,地址,来电号码,紧急程度,办理期限"


def csv_of(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def run(world):
    """Import a hotline file as the district admin: run(bytes, dry_run=False) → ImportResult."""
    from civicloop.imports.services import import_run

    def go(data: bytes, **kw):
        return import_run(actor=world.district_admin, kind="hotline_orders", file_path_or_bytes=data,
                          filename="12345.csv", **kw)

    return go
