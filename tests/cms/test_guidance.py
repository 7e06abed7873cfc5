"""The guidance service and include that the guided cycle flow shows beside a step."""

import pytest
from django.template.loader import render_to_string

from cms.guidance import BlockGuidance, guidance_for_block
from tests.cms.conftest import add_tip

pytestmark = pytest.mark.django_db


def test_guidance_for_a_block_has_page_texts_live_tips_and_url(block_pages):
    add_tip(2, "Tweede tip.", sort_order=2)
    add_tip(2, "Eerste tip.", sort_order=1, source="NJi", source_url="https://www.nji.nl/")
    add_tip(2, "Concept.", live=False)

    guidance = guidance_for_block(2)

    assert isinstance(guidance, BlockGuidance)
    assert guidance.title == "Blok 2"
    assert guidance.guiding_question == "Leidende vraag van blok 2?"
    assert guidance.intro == "Inleiding van blok 2."
    assert [tip.text for tip in guidance.tips] == ["Eerste tip.", "Tweede tip."]
    assert guidance.tips[0].source_url == "https://www.nji.nl/"
    assert guidance.url == "/kwaliteitskompas/blok-2/"


def test_guidance_uses_three_queries_whatever_the_number_of_tips(
    block_pages, django_assert_max_num_queries
):
    for number in range(20):
        add_tip(4, f"Tip {number}.")
    guidance_for_block(0)  # warm the site-root cache used for page URLs
    with django_assert_max_num_queries(3):
        guidance = guidance_for_block(4)
    assert len(guidance.tips) == 20


def test_guidance_without_a_published_page_still_names_the_block(home):
    add_tip(6, "Houd het klein.")
    guidance = guidance_for_block(6)
    assert guidance.title == "Verbetercyclus"
    assert guidance.url is None and not guidance.has_page
    assert [tip.text for tip in guidance.tips] == ["Houd het klein."]


@pytest.mark.parametrize("code", [-1, 7, "x", None])
def test_guidance_refuses_codes_outside_zero_to_six(code):
    with pytest.raises(ValueError, match="not a compass block"):
        guidance_for_block(code)


def test_include_renders_question_tips_and_link(block_pages):
    add_tip(1, "Bespreek elk cijfer.", source="NJi")
    html = render_to_string("cms/includes/block_guidance.html", {"guidance": guidance_for_block(1)})
    assert "Leidende vraag van blok 1?" in html
    assert "Bespreek elk cijfer." in html
    assert 'href="/kwaliteitskompas/blok-1/"' in html


def test_guidance_comes_from_the_cache_until_content_is_published_again(
    block_pages, django_assert_num_queries
):
    add_tip(3, "Eerste tip.")
    guidance_for_block(0)  # warm the site-root cache used for page URLs
    assert [tip.text for tip in guidance_for_block(3).tips] == ["Eerste tip."]
    with django_assert_num_queries(0):
        guidance_for_block(3)
    add_tip(3, "Nieuwe tip.")  # saving a tip starts a new content generation
    assert [tip.text for tip in guidance_for_block(3).tips] == ["Eerste tip.", "Nieuwe tip."]
    page = block_pages[3]
    page.intro = "Nieuwe inleiding."
    page.save_revision().publish()  # publishing a page does too
    assert guidance_for_block(3).intro == "Nieuwe inleiding."
