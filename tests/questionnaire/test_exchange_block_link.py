"""The block pages link to the practice exchange for its participants only, and the anonymous
page in the full-page cache stays the same for every anonymous visitor (issue 21)."""

import re

import pytest

from tests.cms.conftest import add_block_page, compass_index, home  # noqa: F401

pytestmark = pytest.mark.django_db

LINK = "/uitwisseling/?blok=3"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def without_token(response):
    return TOKEN.sub("", response.content.decode())


@pytest.fixture
def block_page(compass_index):  # noqa: F811
    return add_block_page(compass_index, 3)


def test_a_team_member_sees_the_exchange_link_of_the_block(block_page, client_for, alice):
    html = client_for(alice).get(block_page.url).content.decode()
    assert LINK in html


@pytest.mark.parametrize("who", ["erin", "admin_user"])
def test_people_outside_the_exchange_get_no_link(who, request, block_page, client_for):
    html = client_for(request.getfixturevalue(who)).get(block_page.url).content.decode()
    assert "/uitwisseling/" not in html


def test_the_anonymous_cached_page_never_holds_the_link(block_page, client, client_for, alice):
    first = client.get(block_page.url)
    assert first["X-Page-Cache"] == "miss"
    assert "/uitwisseling/" not in first.content.decode()
    # a logged-in visit in between neither enters nor changes the anonymous cache
    assert LINK in client_for(alice).get(block_page.url).content.decode()
    second = client.get(block_page.url)
    assert second["X-Page-Cache"] == "hit"
    assert "/uitwisseling/" not in second.content.decode()
    # the same page, but for the CSRF token (masked afresh on every response)
    assert without_token(second) == without_token(first)
