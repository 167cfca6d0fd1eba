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


def test_an_enterprises_page_shows_it_masked_and_lists_its_cases(client, world, cats):
    from civicloop.places.models import Enterprise

    enterprise = Enterprise.objects.create(credit_code="91310104MA1FL0000X", name="某某科技有限公司",
                                           district=world.district, street=world.street_a, community=world.comm_a1,
                                           address="某路1号", contact_name="赵经理", contact_phone="13700001111")
    case = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, enterprise_id=enterprise.pk,
                           description="企业门口占道堆物", reporter_name="赵经理")
    login(client, world.street_dispatcher)
    html = client.get(f"/places/enterprises/{enterprise.credit_code}/").content.decode()
    assert enterprise.name in html and case.tracking_code in html
    assert "13700001111" not in html and "137****1111" in html
    assert f'href="/places/enterprises/{enterprise.credit_code}/"' in client.get(
        f"/cases/{case.tracking_code}/").content.decode()  # the case page links the record it is about
    login(client, world.outsider)  # another street: as if it did not exist
    assert client.get(f"/places/enterprises/{enterprise.credit_code}/").status_code == 404
