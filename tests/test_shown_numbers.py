"""Guard: the app's key pages, in Dutch, on the demo data, show numbers and words as Dutch
readers write them: a decimal comma (never a decimal point), period labels instead of CBS codes
(2023JJ00), plurals that agree with the number ("1 wijziging", never "1 wijzigingen"), and
"activiteiten" where the dashboard counts offerings."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from compass import periods
from compass.models import Cycle

pytestmark = pytest.mark.django_db

# Thousands grouping in Dutch (1.876, 3.400.000) is not a decimal point.
GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.]|,\d)")
DECIMAL_POINT = re.compile(r"\d\.\d")
# Dotted numbers that are not decimals: licence and measure-set versions, dates.
ALLOWED = [
    re.compile(r"CC BY \d\.\d"),
    re.compile(r"\b(?:versie|rekenregels) \d{4}\.\d+\b", re.IGNORECASE),
    re.compile(r"\b\d{1,2}\.\d{2}\b(?= uur)"),
]


class _Text(HTMLParser):
    """The text a reader sees: text nodes outside script and style (SVG text included)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def plural_words() -> set[str]:
    """Dutch plural nouns that follow a number in the app's own messages (from the .po file)."""
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"))
    after_number = re.compile(r"(?:%\(\w+\)s|\{\{ ?\w+ ?\}\}|%s|%d) ([a-zé]+)")
    plurals, singulars = set(), set()
    for entry in po:
        if entry.msgid_plural:
            singulars.update(after_number.findall(entry.msgstr_plural.get(0, "")))
            plurals.update(after_number.findall(entry.msgstr_plural.get(1, "")))
        else:
            plurals.update(w for w in after_number.findall(entry.msgstr) if w.endswith("en"))
    return plurals - singulars


def problems(text: str, plurals: set[str]) -> list[str]:
    found = []
    cleaned = GROUPED.sub("N", text)
    for allowed in ALLOWED:
        cleaned = allowed.sub("", cleaned)
    for match in DECIMAL_POINT.finditer(cleaned):
        found.append(f"decimal point: …{cleaned[max(0, match.start() - 40) : match.end() + 20]}…")
    found += [f"period code: {code}" for code in periods.RAW_CODE.findall(text)]
    one = re.compile(r"(?<![\d.,])1 (" + "|".join(sorted(plurals)) + r")\b")
    found += [f"1 with a plural: 1 {word}" for word in one.findall(text)]
    return found


def test_the_guard_finds_what_it_guards_against():
    plurals = plural_words()
    assert {"wijzigingen", "uitkomstmetingen", "cijfers"} <= plurals
    assert problems("Mogelijke winst: 8.3 procentpunten", plurals)
    assert problems("Periode 2023JJ00", plurals)
    assert problems("Opgeslagen: 1 wijzigingen.", plurals)
    assert not problems("70.797 jeugdigen, 8,3 procentpunten, 1 wijziging, 11 cijfers", plurals)
    assert not problems("CBS StatLine (CC BY 4.0), 2024", plurals)


def test_key_pages_in_dutch_show_dutch_numbers_periods_and_plurals(demo_db, client):
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)
    # A figure whose period was typed or imported as a CBS code is still shown with its label.
    figure = cycle.figures.order_by("pk").first()
    figure.period = "2024HJ01"
    figure.save(update_fields=["period"])
    client.login(username="alice", password="kompas-demo")
    pages = [
        reverse("questionnaire:start"),
        reverse("questionnaire:cycle", args=[cycle.pk]),
        reverse("questionnaire:cycle", args=[cycle.previous_id]),
        reverse("questionnaire:self_assessment_results", args=[cycle.pk]),
        reverse("questionnaire:benchmark", args=[cycle.pk]),
        reverse("exports:report", args=[cycle.pk]),
        reverse("questionnaire:figures", args=[cycle.municipality.code]),
        reverse("questionnaire:figure_detail", args=[cycle.municipality.code, "vt-meldingen"]),
    ]
    pages += [
        reverse("questionnaire:cycle_step", args=[cycle.pk, step])
        for step in (
            "situatie",
            "ambities",
            "doelgroepen",
            "aanbod",
            "kwaliteit",
            "uitkomsten",
            "verbeterplan",
        )
    ]
    plurals = plural_words()
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        found[url] = problems(text, plurals)

    # One item of each kind: every count on the dashboard is singular.
    for related in ("figures", "ambitions", "target_groups", "offerings", "quality_checks"):
        manager = getattr(cycle, related)
        manager.exclude(pk=manager.order_by("pk").first().pk).delete()
    for related in ("results", "outcomes", "actions"):
        manager = getattr(cycle, related)
        if manager.exists():
            manager.exclude(pk=manager.order_by("pk").first().pk).delete()
    url = reverse("questionnaire:cycle", args=[cycle.pk])
    text = visible_text(client.get(url).content.decode())
    found[url + " (one of each)"] = problems(text, plurals)
    assert not {url: p for url, p in found.items() if p}
    assert "1 activiteit" in text and "aanbod" not in re.findall(r"\d+ (\w+)", text)
