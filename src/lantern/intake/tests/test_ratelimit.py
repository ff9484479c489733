"""The public form's rate limit: counted in the database, per client address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from lantern.intake.models import RateCount, Submission
from lantern.intake.ratelimit import client_address, count_and_check
from lantern.intake.tests.test_views import token_from

pytestmark = pytest.mark.django_db


def report_from(client, narrative="A car outside the school.", **meta):
    page = client.get(reverse("intake:report") + "?route=intelligence", **meta)
    if page.status_code == 429:  # over the limit: refused before writing anything
        return page
    data = {"token": token_from(page), "route": "intelligence", "narrative": narrative}
    check = client.post(reverse("intake:report"), data, **meta)
    return client.post(check.url, **meta)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.LANTERN_TRUSTED_PROXY_COUNT = 0
    meta = {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client_address(meta) == "192.0.2.1"


def test_one_trusted_proxy_gives_the_address_it_saw(settings):
    settings.LANTERN_TRUSTED_PROXY_COUNT = 1
    # The client wrote "203.0.113.9" itself; our proxy appended the real address.
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    assert client_address(meta) == "198.51.100.7"


def test_two_trusted_proxies_read_one_further_left(settings):
    settings.LANTERN_TRUSTED_PROXY_COUNT = 2
    meta = {"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.2"}
    assert client_address(meta) == "198.51.100.7"


def test_fewer_hops_than_proxies_falls_back_to_the_connection(settings):
    settings.LANTERN_TRUSTED_PROXY_COUNT = 2
    meta = {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client_address(meta) == "192.0.2.1"


def test_the_count_is_in_the_database_not_a_process_cache(settings):
    settings.LANTERN_INTAKE_PUBLIC_RATE = (2, 3600)
    now = timezone.now()
    assert not count_and_check("192.0.2.1", now).over
    cache.clear()  # another process would have its own local cache: the count survives
    assert not count_and_check("192.0.2.1", now).over
    assert count_and_check("192.0.2.1", now).over
    assert not count_and_check("192.0.2.2", now).over
    assert RateCount.objects.filter(key__startswith="report:192.0.2.1:").get().count == 3


def test_the_next_window_starts_again(settings):
    settings.LANTERN_INTAKE_PUBLIC_RATE = (1, 3600)
    now = timezone.now()
    count_and_check("192.0.2.1", now)
    assert count_and_check("192.0.2.1", now).over
    assert not count_and_check("192.0.2.1", now + timedelta(hours=1)).over


def test_behind_a_proxy_each_client_has_its_own_limit(client, settings):
    settings.LANTERN_INTAKE_PUBLIC_RATE = (1, 3600)
    settings.LANTERN_TRUSTED_PROXY_COUNT = 1
    first = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    second = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    spoofed = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}

    assert report_from(client, **first).status_code == 302
    assert report_from(client, **second).status_code == 302
    limited = report_from(client, **spoofed)  # a made-up left-hand address does not help

    assert limited.status_code == 429
    assert Submission.objects.count() == 2


def test_signed_in_public_accounts_are_limited_by_account(client, settings):
    from lantern.accounts.roles import Role
    from lantern.core.testing import make_user, sign_in

    settings.LANTERN_INTAKE_PUBLIC_RATE = (1, 3600)
    sign_in(client, make_user(Role.MEMBER_OF_PUBLIC))
    assert report_from(client).status_code == 302
    assert report_from(client).status_code == 429
    assert Submission.objects.count() == 1
