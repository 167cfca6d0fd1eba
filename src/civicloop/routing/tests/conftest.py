import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def cats(db):
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    return {c.code: c for c in Category.objects.all()}


# (category code, lead: "housing" | "city" | "office" | "committee", texts): the world's closed cases to learn from
HISTORY = (
    ("0201", "housing", ("电梯又坏了，老人上下楼很困难", "电梯困人，物业不来修", "楼道灯坏了物业不管", "电梯停运好几天了")),
    ("0201", "office", ("电梯坏了一个礼拜没人修",)),
    ("0102", "city", ("路口有人摆摊卖水果占道经营", "人行道上摆满了小摊", "夜市摊贩占道经营到半夜")),
    ("0102", "office", ("菜场门口流动摊贩占道",)),
    ("0401", "committee", ("楼上装修噪声扰民", "邻居半夜唱歌噪声很大", "广场舞噪声扰民音响太响")),
)


@pytest.fixture
def history(world, cats):
    """Closed cases of the world's district (written as rows: only their final fields matter to a fit)."""
    from civicloop.cases.constants import CaseState, Channel
    from civicloop.cases.models import Case

    lead = {"housing": world.housing, "city": world.city_mgmt, "office": world.street_a_office,
            "committee": world.committee_a1}
    rows, n = [], 0
    now = timezone.now()
    for rep in range(4):
        for code, unit, texts in HISTORY:
            for text in texts:
                n += 1
                rows.append(Case(district=world.district, tracking_code=f"XH-H{n:05d}", channel=Channel.HOTLINE_12345,
                                 description=f"{text}{'，' * rep}", state=CaseState.CLOSED, category=cats[code],
                                 lead_unit=lead[unit], street=world.street_a, community=world.comm_a1,
                                 closed_at=now - dt.timedelta(days=n)))
    Case.objects.bulk_create(rows)
    return rows


@pytest.fixture
def fitted(world, history):
    from civicloop.routing import selectors
    from civicloop.routing.services import model_fit

    selectors.forget()
    return model_fit(district_id=world.district.pk)


@pytest.fixture
def elevator(world, flow_register):
    return flow_register(description="12号楼电梯又坏了，老人下不了楼")


@pytest.fixture
def flow_register(world, cats):
    from civicloop.cases import services as s
    from civicloop.cases.constants import Channel

    def register(actor=None, place=None, **kw):
        kw.setdefault("description", "楼道堆物，影响通行")
        return s.case_register(actor=actor or world.street_dispatcher, channel=Channel.HOTLINE_12345,
                               place_id=(place or world.comm_a1).pk, reporter_name="李四",
                               reporter_phone="13912345678", **kw)
    return register
