"""The tips listing of the Wagtail admin speaks Dutch and never cuts a title mid-word."""

import re

import pytest
from django.urls import reverse

from cms.snippets import MeasureSet, Tip
from tests.cms.conftest import add_tip

pytestmark = pytest.mark.django_db

LONG_TIP = (
    "Maak een routekaart met partners en zorg dat iedereen weet wie wat doet in de keten "
    "van zorg en veiligheid rond het gezin."
)


def _text(html):
    main = html[html.find("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("live_filter", ["true", "false"])
def test_tips_listing_as_erin_shows_dutch_status_and_filter(client, erin, live_filter):
    add_tip(1, LONG_TIP)
    add_tip(2, "Concepttip over samenwerking.", live=False)
    client.force_login(erin)
    response = client.get(reverse("wagtailsnippets_cms_tip:list"), {"live": live_filter})
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "True" not in text and "False" not in text
    assert ("Gepubliceerd: Ja" if live_filter == "true" else "Gepubliceerd: Nee") in text
    assert "Status" in text


def test_tips_listing_shows_live_and_draft_as_dutch_status_tags(client, erin):
    add_tip(1, LONG_TIP)
    add_tip(2, "Concepttip over samenwerking.", live=False)
    client.force_login(erin)
    text = _text(client.get(reverse("wagtailsnippets_cms_tip:list")).content.decode())
    assert "True" not in text and "False" not in text
    assert " concept " in text.lower()


def test_tip_title_is_cut_at_a_word_boundary(client, erin):
    tip = add_tip(1, LONG_TIP)
    title = str(tip)
    shown = title.split(": ", 1)[1].removesuffix(" …")
    assert LONG_TIP.startswith(shown + " ")  # ends at the end of a word
    assert title.endswith(" …")
    client.force_login(erin)
    html = client.get(reverse("wagtailsnippets_cms_tip:edit", args=[tip.pk])).content.decode()
    assert shown + " …" in html.replace("&#x27;", "'")
    assert str(Tip(block=1, text="kort")).endswith("kort")


def test_measure_set_listing_example_column_is_dutch(client, erin):
    MeasureSet.objects.create(name="Voorbeeldset", version=1, is_example=True)
    client.force_login(erin)
    response = client.get(reverse("wagtailsnippets_cms_measureset:list"), {"is_example": "true"})
    text = _text(response.content.decode())
    assert "True" not in text
    assert " Ja " in text
