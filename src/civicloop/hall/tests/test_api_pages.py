"""The API and the pages: codes, bad input changing nothing, scope, bounded queries, the residents' phone page,
the notice."""

import datetime as dt

import pytest
from django.utils import timezone

from civicloop.hall.models import Post, Topic, Vote, VoteBallot
from civicloop.hall.services import ballot_cast, post_add, vote_close
from civicloop.testing import PASSWORD

from .conftest import after

pytestmark = pytest.mark.django_db


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_api_topic_vote_ballot_close(client, world, hall):
    login(client, world.committee_worker)
    r = post(client, "/api/hall/topics", {"place_id": hall.compound.pk, "title": "小区增设车棚"})
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    closes = (timezone.now() + dt.timedelta(days=3)).isoformat()
    r = post(client, f"/api/hall/topics/{tid}/votes", {"place_id": hall.building2.pk, "question": "增设车棚",
                                                        "rule_code": "major", "closes_at": closes})
    assert r.status_code == 201, r.content
    vid = r.json()["id"]
    for home in hall.other:
        r = post(client, f"/api/hall/votes/{vid}/ballots", {"household_code": home.code, "choice": "yes"})
        assert r.status_code == 201 and r.json()["verification"] == "grid_worker", r.content
    r = post(client, f"/api/hall/votes/{vid}/ballots", {"household_code": hall.other[0].code, "choice": "no"})
    assert (r.status_code, r.json()["code"]) == (409, "hall_already_voted")
    r = post(client, f"/api/hall/votes/{vid}/ballots", {"household_code": hall.homes[0].code, "choice": "no"})
    assert (r.status_code, r.json()["code"]) == (400, "hall_not_eligible")
    r = post(client, f"/api/hall/votes/{vid}/close", {})
    assert r.status_code == 200 and r.json()["result"]["passed"] is True and r.json()["vote"]["state"] == "closed"
    r = post(client, f"/api/hall/votes/{vid}/outcomes", {"kind": "case"})
    assert r.status_code == 201 and r.json()["case_id"]
    assert post(client, f"/api/hall/votes/{vid}/outcomes", {"kind": "case"}).status_code == 200
    login(client, world.outsider)
    assert client.get(f"/api/hall/votes/{vid}").status_code == 404
    assert post(client, f"/api/hall/votes/{vid}/close", {}).status_code == 404


@pytest.mark.parametrize("url, body", [
    ("/api/hall/topics", {"place_id": "PLACE", "title": "车棚\x00"}),  # NUL
    ("/api/hall/topics", {"place_id": 2**63, "title": "车棚"}),  # past 64 bits
    ("/api/hall/topics", {"place_id": 999999, "title": "车棚"}),  # unknown
    ("/api/hall/topics", {"place_id": "5", "title": "车棚"}),  # an id is a JSON number
    ("/api/hall/topics", {"place_id": "PLACE", "title": ""}),
    ("/api/hall/topics/TOPIC/posts", {"body": "x" * 5000}),
    ("/api/hall/topics/TOPIC/votes", {"place_id": "PLACE", "question": "q", "rule_code": "major",
                                       "closes_at": "2099-01-01T00:00:00", "ballot": "shout"}),
    ("/api/hall/topics/TOPIC/votes", {"place_id": "PLACE", "question": "q", "rule_code": "major",
                                       "closes_at": "2000-01-01T00:00:00"}),  # already past
    ("/api/hall/topics/99999999/posts", {"body": "x"}),
    (f"/api/hall/topics/{2**64}/posts", {"body": "x"}),
    ("/api/hall/votes/VOTE/ballots", {"household_code": "X\x00", "choice": "yes"}),
    ("/api/hall/votes/VOTE/ballots", {"household_code": "X", "choice": "maybe"}),
    ("/api/hall/votes/VOTE/ballots", {"household_code": "X", "choice": "yes", "phone_last4": "12345"}),
    ("/api/hall/votes/VOTE/outcomes", {"kind": "task", "plan_id": 2**70}),
])
def test_bad_input_changes_nothing(client, world, hall, open_vote, url, body):
    login(client, world.committee_worker)
    url = url.replace("TOPIC", str(hall.topic.pk)).replace("VOTE", str(open_vote.pk))
    body = {k: (hall.building.pk if v == "PLACE" else v) for k, v in body.items()}
    before = (Topic.objects.count(), Post.objects.count(), Vote.objects.count(), VoteBallot.objects.count())
    r = post(client, url, body)
    assert 400 <= r.status_code < 500 and r.json()["code"], r.content
    assert "Traceback" not in r.content.decode()
    assert (Topic.objects.count(), Post.objects.count(), Vote.objects.count(), VoteBallot.objects.count()) == before


def test_pages_in_scope_with_bounded_queries(client, world, hall, open_vote, django_assert_max_num_queries):
    for n in range(5):
        post_add(actor=world.committee_worker, topic_id=hall.topic.pk, body=f"意见{n}")
    login(client, world.committee_worker)
    assert client.get("/hall/").status_code == 302  # a committee: straight to its own hall
    with django_assert_max_num_queries(25):
        r = client.get(f"/hall/c/{world.comm_a1.pk}/")
    assert r.status_code == 200 and "1号楼加装电梯" in r.content.decode() and 'id="new-topic"' in r.content.decode()
    with django_assert_max_num_queries(30):
        r = client.get(f"/hall/topics/{hall.topic.pk}/")
    assert r.status_code == 200 and 'id="new-vote"' in r.content.decode()
    with django_assert_max_num_queries(30):
        r = client.get(f"/hall/votes/{open_vote.pk}/")
    assert r.status_code == 200 and open_vote.token in r.content.decode()
    login(client, world.street_dispatcher)  # reads, keeps not: no forms
    body = client.get(f"/hall/topics/{hall.topic.pk}/").content.decode()
    assert "1号楼加装电梯" in body and 'id="new-vote"' not in body
    r = client.get("/hall/")
    assert r.status_code == 200 and world.comm_a1.name in r.content.decode()
    login(client, world.outsider)
    assert client.get(f"/hall/c/{world.comm_a1.pk}/").status_code == 404
    assert client.get(f"/hall/topics/{hall.topic.pk}/").status_code == 404
    assert client.get(f"/hall/votes/{2**70}/").status_code == 404


def test_page_form_posts(client, world, hall):
    login(client, world.committee_worker)
    r = client.post(f"/hall/c/{world.comm_a1.pk}/", {"place_id": hall.building.pk, "title": "楼道整治",
                                                     "origin": "residents", "proposer": "3楼居民"})
    assert r.status_code == 302, r.content
    topic = Topic.objects.get(title="楼道整治")
    r = client.post(f"/hall/topics/{topic.pk}/do/vote/", {
        "place_id": hall.building.pk, "question": "是否整治", "rule_code": "ordinary", "ballot": "secret",
        "closes_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 302, r.content
    assert Vote.objects.get(question="是否整治").ballot == "secret"
    r = client.post(f"/hall/topics/{topic.pk}/do/post/", {"body": "\x00"})
    assert r.status_code == 400 and Post.objects.count() == 0


def test_residents_phone_page(client, world, hall, open_vote):
    url = f"/hall/v/{open_vote.pk}/{open_vote.token}/"
    r = client.get(url)
    assert r.status_code == 200 and open_vote.question in r.content.decode()
    assert client.get(f"/hall/v/{open_vote.pk}/wrong/").status_code == 404
    home = hall.homes[1]
    r = client.post(url, {"household_code": home.code, "phone_last4": "0000", "choice": "yes"})
    assert r.status_code == 400 and 'id="ballot-error"' in r.content.decode()
    r = client.post(url, {"household_code": home.code, "phone_last4": home.head_phone[-4:], "choice": "yes"})
    assert r.status_code == 200 and 'id="ballot-thanks"' in r.content.decode()
    r = client.post(url, {"household_code": home.code, "phone_last4": home.head_phone[-4:], "choice": "no"})
    assert r.status_code == 409
    assert list(VoteBallot.objects.values_list("choice", flat=True)) == ["yes"]
    for _ in range(6):  # guessing the digits of one household runs into the limit
        r = client.post(url, {"household_code": hall.homes[2].code, "phone_last4": "1111", "choice": "yes"})
    assert r.status_code == 429


def test_notice_of_a_closed_vote(client, world, hall, open_vote):
    login(client, world.committee_worker)
    assert client.get(f"/hall/votes/{open_vote.pk}/notice/").status_code == 404  # not closed yet
    for home in hall.homes[:5]:
        ballot_cast(vote_id=open_vote.pk, token=open_vote.token, household_code=home.code, choice="yes",
                    phone_last4=home.head_phone[-4:])
    vote_close(actor=world.committee_worker, vote_id=open_vote.pk, at=after(open_vote))
    login(client, world.street_dispatcher)
    r = client.get(f"/hall/votes/{open_vote.pk}/notice/")
    body = r.content.decode()
    assert r.status_code == 200 and 'id="notice-verdict"' in body and hall.homes[0].code not in body


def test_secret_vote_counts_unseen_until_closed(client, world, hall):
    from civicloop.hall.services import vote_open

    vote = vote_open(actor=world.committee_worker, topic_id=hall.topic.pk, place_id=hall.building2.pk,
                     question="不记名", rule_code="ordinary", ballot="secret",
                     closes_at=timezone.now() + dt.timedelta(days=2))
    for home in hall.other:
        ballot_cast(vote_id=vote.pk, token=vote.token, household_code=home.code, choice="yes",
                    phone_last4=home.head_phone[-4:])
    login(client, world.committee_worker)
    body = client.get(f"/hall/votes/{vote.pk}/").content.decode()
    assert 'id="r-cast"' in body and 'id="r-yes"' not in body
    running = client.get(f"/api/hall/votes/{vote.pk}").json()["result"]  # the API says no more than the page
    assert running["cast"] == len(hall.other) and running["yes"] is None and running["passed"] is None
    vote_close(actor=world.committee_worker, vote_id=vote.pk)
    body = client.get(f"/hall/votes/{vote.pk}/").content.decode()
    assert 'id="r-yes"' in body and 'id="ballots"' not in body
    closed = client.get(f"/api/hall/votes/{vote.pk}").json()
    assert closed["result"]["yes"] == len(hall.other) and closed["ballots"] == []
