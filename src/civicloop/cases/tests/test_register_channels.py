"""The open311 channel is for another system's client only (constants.API_ONLY_CHANNELS): the register page does
not offer it, and neither the page nor the API registers a case in it by hand."""

from civicloop.cases.constants import Channel
from civicloop.cases.models import Case

from .test_api import client_for, post


def test_staff_cannot_pick_the_open311_channel_by_hand(client, world, cats):
    client_for(client, world.street_dispatcher)
    page = client.get("/cases/register/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{Channel.HOTLINE_12345}"' in html and f'value="{Channel.OPEN311}"' not in html

    form = {"channel": Channel.OPEN311, "appeal_type": "help", "urgency": "normal", "community": world.comm_a1.code,
            "description": "路灯不亮"}
    assert client.post("/cases/register/", form).status_code == 200  # the form again, with its error
    body = {"channel": Channel.OPEN311, "description": "路灯不亮"}
    assert post(client, "register", body).status_code == 422
    assert post(client, "register-batch", {"cases": [body]}).status_code == 422
    assert not Case.objects.exists()

    assert client.post("/cases/register/", {**form, "channel": Channel.HOTLINE_12345}).status_code == 302
    assert post(client, "register", {**body, "channel": Channel.PORTAL}).status_code == 201
    assert Case.objects.count() == 2
