"""Attribution: tips credited to NJi are NJi's, NJi links are current, and the app says it is
not an NJi product (issue 19 item 10; DOMAIN-REVIEW M6, M8)."""

import re

import pytest

from cms import demo_content as content

OLD_NJI = re.compile(r"nji\.nl/(nl/|transformatie-jeugdhulp)", re.IGNORECASE)


def _tips():
    for block in content.BLOCKS:
        yield from block["tips"]


def test_a_tip_credited_to_nji_links_to_an_nji_page_and_the_rest_is_the_editors():
    for text, source, url in _tips():
        if "NJi" in source and not source.startswith("Redactie"):
            assert url.startswith("https://www.nji.nl/"), (source, text[:40])
        assert source != "Eigen redactie"
        if not url:
            assert source == "Redactie", (source, text[:40])


def test_no_old_style_nji_address_is_left_in_the_content():
    for name in dir(content):
        value = getattr(content, name)
        if isinstance(value, str):
            assert not OLD_NJI.search(value), name
    assert not OLD_NJI.search(repr(content.BLOCKS) + repr(content.INDEX))


def test_the_databank_levels_are_nji_words_without_invented_validity():
    block4 = next(b for b in content.BLOCKS if b["code"] == 4)
    text = repr(block4)
    for level in [
        "goed onderbouwd",
        "eerste aanwijzingen voor effectiviteit",
        "goede aanwijzingen voor effectiviteit",
        "sterke aanwijzingen voor effectiviteit",
        "niet erkend",
    ]:
        assert level in text
    assert "drie jaar" not in text and "twee effectstudies" not in text


@pytest.mark.django_db
def test_every_page_says_the_app_is_not_an_nji_product(client):
    body = client.get("/accounts/login/", follow=True).content.decode()
    assert "geen product van het NJi" in body
