"""The shared rate limiter: counts per key and window, refuses past the limit, purges old windows."""

import pytest

from civicloop.core.errors import CivicError
from civicloop.core.models import RateCount
from civicloop.core.ratelimit import rate_counts_purge, rate_limit_hit

pytestmark = pytest.mark.django_db(transaction=True)


def test_counts_up_to_the_limit_then_refuses_with_when_to_retry():
    now = 1_800_000_000.0  # a multiple of 3600 (window start) + 0
    assert [rate_limit_hit("portal:ip:1", limit=3, window=3600, now=now + i) for i in range(3)] == [1, 2, 3]
    with pytest.raises(CivicError) as refused:
        rate_limit_hit("portal:ip:1", limit=3, window=3600, now=now + 10)
    assert refused.value.code == "rate_limited" and refused.value.status == 429
    assert refused.value.params["retry_after"] == 3590
    assert rate_limit_hit("portal:ip:2", limit=3, window=3600, now=now) == 1  # another client counts apart
    assert rate_limit_hit("portal:ip:1", limit=3, window=3600, now=now + 3600) == 1  # the next window starts over


def test_a_refused_attempt_still_counts_and_old_windows_are_purged():
    now = 1_800_000_000.0
    for _i in range(5):
        try:
            rate_limit_hit("k", limit=1, window=60, now=now)
        except CivicError:
            pass
    assert RateCount.objects.get(key="k").count == 5
    rate_limit_hit("k", limit=1, window=60, now=now + 90_000)
    assert rate_counts_purge(now=now + 90_000) == 1
    assert list(RateCount.objects.values_list("count", flat=True)) == [1]


def test_the_scale_setting_multiplies_every_limit(settings):
    settings.RATE_LIMIT_SCALE = 2.5  # CIVICLOOP_RATE_LIMIT_SCALE: the bench's 16 clients share one address
    now = 1_800_000_000.0
    assert [rate_limit_hit("bench:ip", limit=2, window=3600, now=now) for _i in range(5)] == [1, 2, 3, 4, 5]
    with pytest.raises(CivicError) as refused:
        rate_limit_hit("bench:ip", limit=2, window=3600, now=now)
    assert refused.value.params["limit"] == 5  # the message names the limit in force
