"""Page tree rules: which page type may live where."""

import pytest
from wagtail.models import Page

from cms.models import (
    CompassBlockPage,
    CompassIndexPage,
    HomePage,
    SearchPage,
    TopicPage,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("child", "parents"),
    [
        (HomePage, {Page}),
        (CompassIndexPage, {HomePage}),
        (CompassBlockPage, {CompassIndexPage}),
        (TopicPage, {HomePage}),
        (SearchPage, {HomePage}),
    ],
)
def test_each_page_type_has_exactly_the_allowed_parents(child, parents):
    assert set(child.allowed_parent_page_models()) == parents


def test_home_page_allows_only_the_overview_topics_and_search_below_it():
    assert set(HomePage.allowed_subpage_models()) == {CompassIndexPage, TopicPage, SearchPage}


def test_block_topic_and_search_pages_are_leaves():
    for model in (CompassBlockPage, TopicPage, SearchPage):
        assert model.allowed_subpage_models() == []


def test_block_page_cannot_be_created_directly_under_home(home):
    assert not CompassBlockPage.can_create_at(home)
    assert TopicPage.can_create_at(home)


def test_only_one_compass_overview_and_one_search_page(compass_index, search_page, home):
    assert not CompassIndexPage.can_create_at(home)
    assert not SearchPage.can_create_at(home)


def test_a_second_page_for_the_same_block_is_refused(compass_index, block_pages):
    from django.core.exceptions import ValidationError

    duplicate = CompassBlockPage(
        title="Nog een keer", slug="nog-een", block_code=2, guiding_question="?", intro="."
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "block_code" in error.value.message_dict
