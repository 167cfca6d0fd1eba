"""The model's quality, with floors that fail when it drops — top-1 / top-3 accuracy of the category and the lead
unit on (1) the hand-written labelled set (data/labelled.tsv: 125 complaints never trained on, each with the demo
district's category and lead department) and (2) the newest demo cases, held out of the fit — and the demo's own
model (the final demo step): an elevator complaint is suggested 物业管理服务 → 区房管局 first.

The demo's complaint text is one set of phrases per leaf category (cases/demo_phrases.py), so the held-out demo
cases are nearly separable by template (≈ 99 % top-1): the hand-written set is the honest figure. The demo's lead
unit is drawn at random between the category's department (45 %), the street office (30 %) and the committee
(25 %), so no model can pass ≈ 45 % top-1 on the demo's units; top-3 holds them all."""

import datetime as dt

import pytest

from civicloop.cases import demo as cases_demo
from civicloop.cases import services as case_services
from civicloop.cases.constants import Channel
from civicloop.cases.models import Category
from civicloop.demo.generator import generate, preset_district
from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.models import Unit, User
from civicloop.routing import selectors
from civicloop.routing.evaluate import accuracy, labelled
from civicloop.routing.learn import Example, Router
from civicloop.routing.models import RoutingModel
from civicloop.routing.training import closed_examples

END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
SCALE = 0.006  # 3,000 cases
HELD = 500  # the newest closed demo cases, held out of the fit
pytestmark = pytest.mark.django_db

# a little under what the model measures at this scale (docs/benchmarks.md: the figures); a drop below fails
LABELLED_FLOORS = {"category_top1": 0.8, "category_top3": 0.92, "unit_top1": 0.5, "unit_top3": 0.85}
HOLDOUT_FLOORS = {"category_top1": 0.95, "category_top3": 0.97, "unit_top1": 0.33, "unit_top3": 0.9}


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setattr(cases_demo, "cases_end", lambda: END)
    selectors.forget()
    generate("xuhui", scale=SCALE, seed=1, apps=("cases", "routing"))
    return preset_district("xuhui")


def labelled_examples(district) -> list[Example]:
    by_code = dict(Category.objects.values_list("code", "pk"))
    units = dict(Unit.objects.filter(district=district, kind=UnitKind.DEPARTMENT).values_list("name", "pk"))
    return [Example(text=r.text, category_id=by_code[r.category_code], unit=f"u{units[r.unit_name]}")
            for r in labelled()]


def test_the_hand_written_set_is_apart_and_large_enough():
    rows = labelled()
    assert len(rows) >= 100
    assert len({r.text for r in rows}) == len(rows)
    assert len({r.category_code for r in rows}) == 40  # every leaf of the demo's taxonomy


def test_quality_floors_and_the_demo_model(demo):
    examples = closed_examples(demo.pk, 100_000)
    held, train = examples[:HELD], examples[HELD:]
    router = Router.fit(train)
    holdout = accuracy(router, held)
    hand = accuracy(router, labelled_examples(demo))
    for name, floors, got in (("holdout", HOLDOUT_FLOORS, holdout), ("labelled", LABELLED_FLOORS, hand)):
        for key, floor in floors.items():
            assert got[key] >= floor, (name, key, got)

    # the demo's final step fitted the district's model, measured on its newest closed cases
    model = RoutingModel.objects.get(district=demo)
    assert model.version == 1 and model.cases > 1000 and model.quality["category_top1"] >= 0.9

    # a street dispatcher registers the elevator complaint: triage suggests 物业管理服务 → 区房管局 first
    dispatcher = (User.objects.filter(district=demo, unit__kind=UnitKind.STREET_OFFICE, role_rows__role=Role.DISPATCHER)
                  .select_related("unit").order_by("pk").first())
    case = case_services.case_register(actor=dispatcher, channel=Channel.HOTLINE_12345,
                                       description="12号楼电梯又坏了，老人下不了楼", reporter_name="王阿姨",
                                       reporter_phone="13800001111")
    suggested = selectors.suggestions_for(dispatcher, case)
    assert suggested["categories"][0][0].code == "0201"
    assert suggested["units"][0][0].name == "区房管局"
