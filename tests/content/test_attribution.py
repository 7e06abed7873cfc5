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


def test_each_measure_has_a_reach_question_that_fits_it():
    rows = content.PREVENTION_MEASURES + content.DOMESTIC_VIOLENCE_MEASURES
    questions = {row[0]: content.reach_question(row[2], row[0]) for row in rows}
    for code in ["pkm-06", "pkm-07", "pkm-10", "ahg-01", "ahg-02", "ahg-05", "ahg-08"]:
        assert "welke gezinnen" not in questions[code], code
    assert "bereik van de bekendheid" not in questions["ahg-01"]
    assert "scholen en leerlingen" in questions["pkm-06"]


def test_measures_name_current_practice_and_link_on_topic():
    rows = {r[0]: r for r in content.PREVENTION_MEASURES + content.DOMESTIC_VIOLENCE_MEASURES}
    assert "MDA++" in rows["ahg-03"][3]
    assert "radarfunctie" in rows["ahg-01"][3]
    assert "kindcheck" in rows["pkm-07"][3]
    assert "Toekomstscenario" in rows["ahg-04"][3]
    assert "Werken aan veiligheid" in rows["ahg-02"][3]
    assert "seksueel geweld" in rows["ahg-06"][3]
    assert rows["ahg-07"][7][1] != content.CBS_IMPACTMONITOR
    assert rows["pkm-09"][7][1] != content.NJI_RISICO
