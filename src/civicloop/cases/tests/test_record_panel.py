"""A household's page lists its cases (issue 11), through the registry's `record_panels` — places knows no case —
and only the cases the viewer may see, masked like every list."""

from civicloop.cases import services as s
from civicloop.cases.constants import Channel
from civicloop.places.models import Household
from civicloop.testing import PASSWORD


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def test_a_households_page_lists_the_cases_about_it(client, world, cats):
    household = Household.objects.get(code__startswith=world.comm_a1.code)
    case = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, household_id=household.pk,
                           description="楼道漏水，联系电话13912345678", reporter_name="张三")
    other = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, place_id=world.comm_a1.pk,
                            description="路灯不亮", reporter_name="李四")
    login(client, world.street_dispatcher)
    html = client.get(f"/places/households/{household.code}/").content.decode()
    assert 'id="record-cases"' in html and case.tracking_code in html and other.tracking_code not in html
    login(client, world.committee_worker)  # sees the household, may not unmask the reporter: the number is masked
    html = client.get(f"/places/households/{household.code}/").content.decode()
    assert case.tracking_code in html and "13912345678" not in html
