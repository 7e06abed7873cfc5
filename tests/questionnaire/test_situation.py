"""The Situatie step's figures panel: CBS figures shown and taken into the cycle, local figures
from a CSV upload, the CSV template and the prevalence estimate (issue 9)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cms.snippets import Indicator, PrevalenceRate
from compass.models import (
    CbsObservation,
    ChangeRecord,
    Cycle,
    Municipality,
    SituationFigure,
    StepProgress,
)
from questionnaire.cycle_forms import MAX_ROWS
from questionnaire.situation import csv_upload, drafts
from questionnaire.situation.panel import panel as situation_panel
from tests.questionnaire.cycle_helpers import logged_in, post_data, start, step_url, version_of

pytestmark = pytest.mark.django_db


def make_indicator(code="vt-meldingen", name="Meldingen bij Veilig Thuis", table="84849NED"):
    return Indicator.objects.create(
        code=code,
        name=name,
        unit="aantal",
        direction="higher",
        cbs_table_id=table,
        measure_key="Meldingen_2",
    )


def observe(indicator, region, period, value, provisional=False, suppressed=False):
    return CbsObservation.objects.create(
        indicator=indicator,
        region_code=region,
        period=period,
        value=None if value is None else Decimal(value),
        provisional=provisional,
        suppressed=suppressed,
        table_id=indicator.cbs_table_id,
        source=f"CBS {indicator.cbs_table_id}: Veilig Thuis; meldingen",
        imported_at=timezone.now(),
    )


@pytest.fixture
def figures(gemeente_a, gemeente_b):
    """Utrecht, its Veilig Thuis region VT20 and the Netherlands; one provisional half year,
    one suppressed cell, and Amersfoort's figure that must never reach Utrecht's cycle."""
    indicator = make_indicator()
    return {
        "indicator": indicator,
        "own_2023": observe(indicator, "GM0344", "2023JJ00", "2132"),
        "own_2024": observe(indicator, "GM0344", "2024HJ01", "1217", provisional=True),
        "own_2022": observe(indicator, "GM0344", "2022JJ00", None, suppressed=True),
        "own_2021": observe(indicator, "GM0344", "2021JJ00", "1900"),  # beyond the 3 periods
        "region_2023": observe(indicator, "VT20", "2023JJ00", "8300.5"),
        "nl_2023": observe(indicator, "NL01", "2023JJ00", "95790"),
        "other": observe(indicator, "GM0307", "2023JJ00", "999"),
    }


@pytest.fixture
def cycle(gemeente_a, alice):
    return start(gemeente_a, 2026, alice)


def take(client, cycle, *observations):
    return client.post(
        f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/",
        {"observation": [str(o.pk) for o in observations]},
    )


def upload(client, cycle, content: bytes, name="cijfers.csv"):
    return client.post(
        f"/jaarcycli/{cycle.pk}/situatie/cijfers/uploaden/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


# --- the panel -------------------------------------------------------------------------------


def test_panel_shows_latest_periods_of_municipality_region_and_country(cycle, figures):
    panel = situation_panel(cycle)
    (entry,) = panel.indicators
    assert [line.name for line in entry.lines] == [
        "Utrecht",
        "Veilig Thuis-regio Utrecht",
        "Nederland",
    ]
    assert [row["label"] for row in entry.rows] == ["1e halfjaar 2024", "2023", "2022"]
    half, year, suppressed = entry.rows
    assert half["cells"][0].observation.provisional
    assert half["cells"][1].observation is None  # the region has no half year
    assert [c.observation.value for c in year["cells"]] == [2132, Decimal("8300.5"), 95790]
    assert suppressed["cells"][0].observation.suppressed
    assert not suppressed["cells"][0].selectable
    assert panel.has_provisional and panel.has_suppressed


def test_step_shows_the_figures_with_provisional_suppressed_source_and_trend_link(
    cycle, figures, alice
):
    page = logged_in(alice).get(step_url(cycle, "situatie")).content.decode()
    assert "Cijfers van CBS" in page
    assert "voorlopig" in page
    assert "afgeschermd" in page  # suppressed is said, never shown as 0
    assert "2.132" in page and "8.300,5" in page and "95.790" in page
    assert "Veilig Thuis-regio Utrecht" in page and "Nederland" in page
    assert "CBS 84849NED: Veilig Thuis; meldingen" in page
    assert 'href="/gemeenten/GM0344/cijfers/vt-meldingen/"' in page
    assert f'value="{figures["own_2023"].pk}"' in page
    assert f'value="{figures["own_2022"].pk}"' not in page  # no box for a suppressed cell
    assert "999" not in page  # Amersfoort's figure
    assert "Overnemen in de jaarcyclus" in page


def test_reader_sees_the_panel_read_only(cycle, figures, bob):
    page = logged_in(bob).get(step_url(cycle, "situatie")).content.decode()
    assert "Cijfers van CBS" in page and "2.132" in page
    assert 'name="observation"' not in page
    assert "Overnemen in de jaarcyclus" not in page
    assert "Eigen cijfers uploaden" not in page


def test_panel_without_imported_figures_says_so(cycle, alice):
    make_indicator()
    page = logged_in(alice).get(step_url(cycle, "situatie")).content.decode()
    assert "Er zijn nog geen CBS-cijfers geïmporteerd voor Utrecht." in page
    assert "Nog niet geïmporteerd: Meldingen bij Veilig Thuis." in page


# --- taking figures over -----------------------------------------------------------------------


def test_take_over_creates_figures_with_source_period_and_provisional(cycle, figures, alice):
    client = logged_in(alice)
    response = take(client, cycle, figures["own_2023"], figures["own_2024"], figures["nl_2023"])
    assert response.status_code == 302
    assert response["Location"].endswith("/situatie/#cbs-figures")
    rows = {
        (f.label, f.period): f
        for f in SituationFigure.objects.filter(cycle=cycle).select_related("indicator")
    }
    assert set(rows) == {
        ("Meldingen bij Veilig Thuis", "2023"),
        ("Meldingen bij Veilig Thuis", "1e halfjaar 2024"),
        ("Meldingen bij Veilig Thuis – Nederland", "2023"),
    }
    half = rows[("Meldingen bij Veilig Thuis", "1e halfjaar 2024")]
    assert half.provisional and half.value == Decimal("1217")
    assert half.source == "CBS StatLine 84849NED"
    assert half.indicator == figures["indicator"]
    assert not rows[("Meldingen bij Veilig Thuis", "2023")].provisional
    page = client.get(response["Location"]).content.decode()
    assert "3 cijfers toegevoegd aan de jaarcyclus." in page
    # they are in the step's figures formset, and marked in the panel
    assert 'value="Meldingen bij Veilig Thuis – Nederland"' in page
    assert "in de jaarcyclus" in page


def test_taking_the_same_figure_twice_does_not_duplicate(cycle, figures, alice):
    client = logged_in(alice)
    take(client, cycle, figures["own_2023"])
    response = take(client, cycle, figures["own_2023"], figures["own_2023"])
    assert SituationFigure.objects.filter(cycle=cycle).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "1 cijfer stond al in de jaarcyclus." in page


def test_taking_over_a_changed_cbs_figure_updates_it_with_history(cycle, figures, alice):
    client = logged_in(alice)
    take(client, cycle, figures["own_2024"])
    CbsObservation.objects.filter(pk=figures["own_2024"].pk).update(
        value=Decimal("1230"), provisional=False
    )
    response = take(client, cycle, figures["own_2024"])
    (figure,) = SituationFigure.objects.filter(cycle=cycle)
    assert (figure.value, figure.provisional) == (Decimal("1230"), False)
    assert "1 cijfer bijgewerkt." in client.get(response["Location"]).content.decode()
    change = ChangeRecord.objects.filter(cycle=cycle, field_name="value").order_by("pk").last()
    assert (change.shown.old, change.shown.new) == ("1.217", "1.230")  # as a saved step writes it


def test_take_over_records_history_and_raises_the_version(cycle, figures, alice):
    before = version_of(cycle, "situatie")
    take(logged_in(alice), cycle, figures["region_2023"])
    records = ChangeRecord.objects.filter(cycle=cycle, step="situatie")
    assert {r.shown.field for r in records} >= {"Cijfer", "Periode", "Waarde", "Bron"}
    assert all(r.user == alice for r in records)
    assert {r.shown.new for r in records} >= {"8.300,5", "CBS StatLine 84849NED"}
    progress = StepProgress.objects.get(cycle=cycle, step="situatie")
    assert progress.version == before + 1
    assert progress.saved_by == alice
    assert progress.status == StepProgress.Status.IN_PROGRESS
    history = logged_in(alice).get(f"/jaarcycli/{cycle.pk}/situatie/geschiedenis/")
    assert "Meldingen bij Veilig Thuis – Veilig Thuis-regio Utrecht" in history.content.decode()


def test_an_open_step_saved_after_a_take_over_is_told_of_the_change(cycle, figures, alice, dave):
    version = version_of(cycle, "situatie")
    take(logged_in(dave), cycle, figures["own_2023"])
    data = post_data(
        cycle,
        "situatie",
        rows={"figures": [{"label": "Eigen", "period": "2025", "value": "1", "source": "GGD"}]},
        version=version,
        action="save",
    )
    response = logged_in(alice).post(step_url(cycle, "situatie"), data)
    assert response.status_code == 409
    assert SituationFigure.objects.filter(cycle=cycle).count() == 1


def test_take_over_ignores_suppressed_other_municipalities_and_garbage(cycle, figures, alice):
    client = logged_in(alice)
    response = client.post(
        f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/",
        {
            "observation": [
                str(figures["own_2022"].pk),  # suppressed
                str(figures["other"].pk),  # Amersfoort
                "abc",
                "-4",
                "99999999999999999999",
                str(figures["own_2023"].pk),
            ]
        },
    )
    assert response.status_code == 302
    assert list(SituationFigure.objects.filter(cycle=cycle).values_list("value", flat=True)) == [
        Decimal("2132")
    ]
    page = client.get(response["Location"]).content.decode()
    assert "2 gekozen cijfers konden niet worden overgenomen" in page


def test_take_over_without_a_choice_says_so(cycle, figures, alice):
    client = logged_in(alice)
    response = client.post(f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/", {})
    assert (
        "Kies eerst de cijfers die u wilt overnemen."
        in client.get(response["Location"]).content.decode()
    )
    assert not SituationFigure.objects.filter(cycle=cycle).exists()


def test_take_over_adds_the_figures_to_an_open_draft_without_losing_it(cycle, figures, alice):
    client = logged_in(alice)
    take(client, cycle, figures["own_2024"])
    (saved,) = SituationFigure.objects.filter(cycle=cycle)
    # A draft: the saved row with the user's own change elsewhere, and one typed new row.
    draft = post_data(
        cycle,
        "situatie",
        existing={
            "figures": [
                {
                    "id": saved.pk,
                    "label": "Mijn eigen naam",
                    "period": saved.period,
                    "value": "1217,00",
                    "source": saved.source,
                    "provisional": "on",
                }
            ]
        },
        rows={
            "figures": [
                {"label": "Aangiften", "period": "2025", "value": "12", "source": "Politie"}
            ]
        },
        single={"recognise": "Herkenbaar"},
        action="draft",
    )
    assert client.post(step_url(cycle, "situatie"), draft).status_code == 302
    CbsObservation.objects.filter(pk=figures["own_2024"].pk).update(value=Decimal("1250"))
    response = take(client, cycle, figures["own_2024"], figures["region_2023"])
    page = client.get(response["Location"]).content.decode()
    assert "de cijfers zijn eraan toegevoegd" in page
    # the draft is still shown, with the typed row, the new figure and the updated value
    assert 'value="Aangiften"' in page
    assert 'value="Mijn eigen naam"' in page
    assert 'value="Meldingen bij Veilig Thuis – Veilig Thuis-regio Utrecht"' in page
    assert 'value="1250,00"' in page
    assert "Herkenbaar" in page
    # Saving the draft keeps everything: nothing taken over is lost or reverted.
    progress = StepProgress.objects.get(cycle=cycle, step="situatie")
    stored = dict(progress.draft)
    assert stored["figures-INITIAL_FORMS"] == ["2"] and stored["figures-TOTAL_FORMS"] == ["3"]
    final = {key: values[-1] for key, values in stored.items()}
    final.update(action="save", version=str(progress.version))
    assert client.post(step_url(cycle, "situatie"), final).status_code == 302
    figures_now = {f.label: f for f in SituationFigure.objects.filter(cycle=cycle)}
    assert set(figures_now) == {
        "Mijn eigen naam",
        "Meldingen bij Veilig Thuis – Veilig Thuis-regio Utrecht",
        "Aangiften",
    }
    assert figures_now["Mijn eigen naam"].value == Decimal("1250")
    assert figures_now["Meldingen bij Veilig Thuis – Veilig Thuis-regio Utrecht"].value == (
        Decimal("8300.50")
    )


def test_a_value_the_user_changed_in_the_draft_is_not_overwritten(cycle, figures, alice):
    client = logged_in(alice)
    take(client, cycle, figures["own_2024"])
    (saved,) = SituationFigure.objects.filter(cycle=cycle)
    draft = post_data(
        cycle,
        "situatie",
        existing={
            "figures": [
                {
                    "id": saved.pk,
                    "label": saved.label,
                    "period": saved.period,
                    "value": "1300",
                    "source": saved.source,
                    "provisional": "on",
                }
            ]
        },
        action="draft",
    )
    client.post(step_url(cycle, "situatie"), draft)
    CbsObservation.objects.filter(pk=figures["own_2024"].pk).update(value=Decimal("1250"))
    take(client, cycle, figures["own_2024"])
    progress = StepProgress.objects.get(cycle=cycle, step="situatie")
    assert progress.draft["figures-0-value"] == ["1300"]  # typed by the user: kept
    assert SituationFigure.objects.get(pk=saved.pk).value == Decimal("1250")


def test_merge_into_draft_refuses_an_unreadable_draft():
    assert drafts.merge_into_draft({"figures-TOTAL_FORMS": ["x"]}, [], []) is None
    assert drafts.merge_into_draft({"other": ["1"]}, [], []) is None
    assert (
        drafts.merge_into_draft(
            {"figures-TOTAL_FORMS": ["1"], "figures-INITIAL_FORMS": ["5"]}, [], []
        )
        is None
    )


def test_take_over_with_an_unreadable_draft_keeps_it_and_warns(cycle, figures, alice):
    StepProgress.objects.create(
        cycle=cycle, step="situatie", draft={"figures-TOTAL_FORMS": ["kapot"]}
    )
    client = logged_in(alice)
    response = take(client, cycle, figures["own_2023"])
    assert (
        "niet met de nieuwe cijfers kon worden samengevoegd"
        in client.get(response["Location"]).content.decode()
    )
    assert StepProgress.objects.get(cycle=cycle, step="situatie").draft == {
        "figures-TOTAL_FORMS": ["kapot"]
    }
    assert SituationFigure.objects.filter(cycle=cycle).count() == 1


def test_take_over_query_count_does_not_grow_with_indicators_and_periods(
    cycle, alice, django_assert_max_num_queries
):
    def fill(indicators, years):
        ids = []
        for i in range(indicators):
            indicator = make_indicator(f"ind-{indicators}-{i}", f"Indicator {indicators} {i}")
            for year in range(2024 - years, 2024):
                for region in ("GM0344", "VT20", "NL01"):
                    ids.append(observe(indicator, region, f"{year}JJ00", str(year)).pk)
        return ids

    client = logged_in(alice)
    small = fill(1, 2)
    client.get(step_url(cycle, "situatie"))
    with django_assert_max_num_queries(60) as small_queries:
        client.post(f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/", {"observation": small})
    large = fill(12, 10)
    with django_assert_max_num_queries(25 + 7):  # the step's own budget plus the panel
        client.get(step_url(cycle, "situatie"))
    SituationFigure.objects.filter(cycle=cycle).delete()
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        client.post(
            f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/", {"observation": large[:60]}
        )
    assert SituationFigure.objects.filter(cycle=cycle).count() == 60


# --- permissions -----------------------------------------------------------------------------

WRITE_MATRIX = [
    ("alice", 302),
    ("dave", 302),
    ("admin", 302),
    ("bob", 403),  # reader: read-only
    ("pia", 403),  # partner with an agreement: read-only
    ("carol", 404),
    ("bert", 404),
    ("quinn", 404),
    ("erin", 404),
]


@pytest.mark.parametrize(("who", "status"), WRITE_MATRIX)
def test_take_over_permission_matrix(cast, client_for, cycle, figures, who, status):
    response = take(client_for(cast[who]), cycle, figures["own_2023"])
    assert response.status_code == status
    assert SituationFigure.objects.filter(cycle=cycle).exists() == (status == 302)


@pytest.mark.parametrize(("who", "status"), WRITE_MATRIX)
def test_upload_permission_matrix(cast, client_for, cycle, who, status):
    client = client_for(cast[who])
    response = upload(client, cycle, b"indicator;periode;waarde;bron\nAangiften;2025;3;Politie\n")
    assert response.status_code == status
    assert SituationFigure.objects.filter(cycle=cycle).exists() == (status == 302)
    assert client.get(f"/jaarcycli/{cycle.pk}/situatie/cijfers/uploaden/").status_code == (
        200 if status == 302 else status
    )


def test_anonymous_is_sent_to_login_and_wrong_methods_are_refused(client, alice, cycle, figures):
    for path in (
        f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/",
        f"/jaarcycli/{cycle.pk}/situatie/cijfers/uploaden/",
    ):
        response = client.post(path, {"observation": [figures["own_2023"].pk]})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SituationFigure.objects.exists()
    overnemen = f"/jaarcycli/{cycle.pk}/situatie/cijfers/overnemen/"
    assert logged_in(alice).get(overnemen).status_code == 405
    assert logged_in(alice).post("/jaarcycli/cijfers-sjabloon.csv").status_code == 405


def test_closed_cycle_refuses_figures(cycle, figures, alice):
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    client = logged_in(alice)
    assert take(client, cycle, figures["own_2023"]).status_code == 403
    assert upload(client, cycle, b"indicator;periode;waarde;bron\nA;2025;3;B\n").status_code == 403
    assert not SituationFigure.objects.exists()


def test_unknown_cycle_is_404(alice, figures):
    client = logged_in(alice)
    assert client.post("/jaarcycli/999999/situatie/cijfers/overnemen/").status_code == 404
    assert client.get("/jaarcycli/999999/situatie/cijfers/uploaden/").status_code == 404


# --- local figures from a CSV ------------------------------------------------------------------

GOOD = (
    "indicator;periode;waarde;bron;voorlopig\n"
    "Aangiften huiselijk geweld;2025;312;Politie, eenheid Midden-Nederland;nee\n"
    "Gezinnen met zorgen in het buurtteam;2025 1e halfjaar;148;Buurtteams;ja\n"
    "Jongeren die zich thuis veilig voelen (%);2023;87,4;GGD;\n"
)


def test_upload_stores_every_row_with_history(cycle, alice):
    client = logged_in(alice)
    response = upload(client, cycle, GOOD.encode("utf-8"))
    assert response.status_code == 302
    rows = {f.label: f for f in SituationFigure.objects.filter(cycle=cycle)}
    assert rows["Aangiften huiselijk geweld"].source == "Politie, eenheid Midden-Nederland"
    assert rows["Gezinnen met zorgen in het buurtteam"].provisional
    assert rows["Jongeren die zich thuis veilig voelen (%)"].value == Decimal("87.4")
    assert "Cijfer: Aangiften huiselijk geweld" in {
        r.shown.item for r in ChangeRecord.objects.filter(cycle=cycle)
    }
    page = client.get(response["Location"]).content.decode()
    assert "3 cijfers toegevoegd aan de jaarcyclus." in page
    # uploading the same file again adds nothing
    upload(client, cycle, GOOD.encode("utf-8"))
    assert SituationFigure.objects.filter(cycle=cycle).count() == 3


def test_upload_reads_latin1_commas_and_points_and_links_indicators(cycle, alice):
    indicator = make_indicator()
    content = (
        "Indicator,Periode,Waarde,Bron,Voorlopig\n"
        'vt-meldingen,2025,"1.234,5",Eigen registratie,ja\n'
        "Meldingen bij Veilig Thuis,2024,1234.5,Wijkteam Zuid-West,nee\n"
        '"Zorgen om één kind",2024,0.5,GGD,\n'
    ).encode("cp1252")
    assert upload(logged_in(alice), cycle, content).status_code == 302
    rows = list(SituationFigure.objects.filter(cycle=cycle).order_by("pk"))
    assert [r.value for r in rows] == [Decimal("1234.50"), Decimal("1234.50"), Decimal("0.50")]
    assert rows[0].label == "Meldingen bij Veilig Thuis" and rows[0].indicator == indicator
    assert rows[1].indicator == indicator
    assert rows[2].label == "Zorgen om één kind" and rows[2].indicator is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Kies een CSV-bestand."),
        (b"   \n\n", "Het bestand is leeg."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Het bestand is geen tekstbestand (CSV)."),
        (b"indicator periode waarde\n", "De eerste regel is geen kopregel"),
        (
            b"naam;jaar;getal;bron\nA;2025;1;B\n",
            "Onbekende kolom &#x27;naam&#x27;, &#x27;jaar&#x27;, &#x27;getal&#x27;",
        ),
        (b"indicator;periode;waarde;bron\nA;2025;0,125;B\n", "regel 2: Waarde: "),
        (b"indicator;periode;waarde\nA;2025;1\n", "De kolom bron ontbreekt."),
        (b"indicator;periode;waarde;bron;bron\nA;2025;1;B;C\n", "Een kolom staat twee keer"),
        (b"indicator;periode;waarde;bron\n", "Het bestand heeft een kopregel maar geen cijfers."),
        (
            b"indicator;periode;waarde;bron\nA;2025;1;B\nC;2025;abc;D\n",
            "regel 3: waarde &#x27;abc&#x27; is geen getal.",
        ),
        (b"indicator;periode;waarde;bron\nA;2025;;B\n", "regel 2: de waarde is leeg."),
        (
            b"indicator;periode;waarde;bron\nA;2025;41.287;B\n",
            "regel 2: waarde &#x27;41.287&#x27; is dubbelzinnig: schrijf 41287",
        ),
        (b"indicator;periode;waarde;bron\nA;2025;-3;B\n", "regel 2: Waarde: Een cijfer kan niet"),
        (
            b"indicator;periode;waarde;bron\nA;2025;3\n",
            "regel 2: 3 velden, de kopregel heeft er 4.",
        ),
        (
            b"indicator;periode;waarde;bron\n;2025;3;B\n",
            "regel 2: Cijfer: Dit is een verplicht veld.",
        ),
        (
            b"indicator;periode;waarde;bron\nA;;3;B\n",
            "regel 2: Periode: Dit is een verplicht veld.",
        ),
        (
            b"indicator;periode;waarde;bron;voorlopig\nA;2025;3;B;misschien\n",
            "regel 2: voorlopig &#x27;misschien&#x27; is geen ja of nee.",
        ),
        (
            b"indicator;periode;waarde;bron\nA;2025;3;B\nA;2025;4;B\n",
            "regel 3: hetzelfde cijfer met dezelfde periode en bron staat ook op regel 2.",
        ),
        (
            b"indicator;periode;waarde;bron\nA;2025;123456789012345;B\n",
            "regel 2: Waarde: ",
        ),
        (
            b"indicator;periode;waarde;bron\nA;" + b"9" * 50 + b";3;B\n",
            "regel 2: Periode: ",
        ),
        (b'indicator;periode;waarde;bron\n"A;2025;3;B\n', "regel 2: 1 veld,"),
    ],
)
def test_upload_errors_are_dutch_and_store_nothing(cycle, alice, content, message):
    client = logged_in(alice)
    if content:
        response = upload(client, cycle, content)
    else:
        response = client.post(f"/jaarcycli/{cycle.pk}/situatie/cijfers/uploaden/", {})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page, page[page.find("error-summary") : page.find("error-summary") + 900]
    assert "Er is niets opgeslagen" in page
    assert not SituationFigure.objects.filter(cycle=cycle).exists()
    assert not ChangeRecord.objects.filter(cycle=cycle).exists()


def test_one_bad_row_stores_nothing_then_the_fixed_file_stores_all(cycle, alice):
    client = logged_in(alice)
    bad = GOOD.replace(";148;", ";veel;").encode()
    response = upload(client, cycle, bad)
    assert "regel 3: waarde &#x27;veel&#x27; is geen getal." in response.content.decode()
    assert not SituationFigure.objects.filter(cycle=cycle).exists()
    assert upload(client, cycle, GOOD.encode()).status_code == 302
    assert SituationFigure.objects.filter(cycle=cycle).count() == 3


def test_upload_refuses_a_file_above_the_size_limit_without_a_500(cycle, alice):
    line = "Aangiften;2025;3;Politie\n"
    content = ("indicator;periode;waarde;bron\n" + line * 20_000).encode()
    assert len(content) > csv_upload.MAX_UPLOAD_BYTES
    response = upload(logged_in(alice), cycle, content)
    assert response.status_code == 400
    assert "Het bestand is groter dan 256 kB" in response.content.decode()


def test_upload_refuses_more_rows_than_a_step_holds(cycle, alice):
    lines = "".join(f"Cijfer {i};2025;{i};Politie\n" for i in range(MAX_ROWS + 1))
    response = upload(logged_in(alice), cycle, f"indicator;periode;waarde;bron\n{lines}".encode())
    assert "upload maximaal 300 tegelijk" in response.content.decode()
    assert not SituationFigure.objects.exists()


def test_upload_lists_at_most_a_page_of_errors(cycle, alice):
    lines = "".join(f"Cijfer {i};2025;x{i};Politie\n" for i in range(60))
    response = upload(logged_in(alice), cycle, f"indicator;periode;waarde;bron\n{lines}".encode())
    page = response.content.decode()
    assert page.count("is geen getal") == csv_upload.MAX_ERRORS
    assert "Er zijn meer fouten; verbeter eerst deze." in page


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("148", Decimal("148")),
        ("148,5", Decimal("148.5")),
        ("148.5", Decimal("148.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("0.125", Decimal("0.125")),
        ("41.287", "ambiguous"),
        ("abc", None),
        ("1,2,3", None),
        ("1.23.4", None),
        ("NaN", None),
        ("1e5", None),
        ("", None),
    ],
)
def test_parse_number(text, value):
    assert csv_upload.parse_number(text) == value


# --- the template ------------------------------------------------------------------------------


def test_csv_template_downloads_and_reads_back_without_errors(client, cycle):
    response = client.get("/jaarcycli/cijfers-sjabloon.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="eigen-cijfers-sjabloon.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "indicator;periode;waarde;bron;voorlopig"
    specs, errors = csv_upload.read_local_csv(response.content, cycle)
    assert errors == []
    assert [s.value for s in specs] == [Decimal("312"), Decimal("148"), Decimal("87.40")]


def test_step_links_to_the_template_and_upload(cycle, alice):
    page = logged_in(alice).get(step_url(cycle, "situatie")).content.decode()
    assert 'href="/jaarcycli/cijfers-sjabloon.csv"' in page
    assert f'action="/jaarcycli/{cycle.pk}/situatie/cijfers/uploaden/"' in page
    assert 'enctype="multipart/form-data"' in page


# --- prevalence in the step ----------------------------------------------------------------------


@pytest.fixture
def rate(db):
    return PrevalenceRate.objects.create(
        label="Kindermishandeling",
        low_rate=Decimal("26.5"),
        high_rate=Decimal("37.4"),
        year=2017,
        source="CBS, Impactmonitor",
        source_url="https://www.cbs.nl/impactmonitor",
    )


def test_step_shows_the_prevalence_arithmetic_and_its_sources(cycle, alice, rate):
    Municipality.objects.filter(pk=cycle.municipality_id).update(
        youth_population=70797,
        youth_population_year=2019,
        youth_population_source="CBS StatLine 70072ned",
        youth_population_estimated=True,
    )
    page = logged_in(alice).get(step_url(cycle, "situatie")).content.decode()
    assert "Ongeveer 1.900 tot 2.600 kinderen van 0-17 jaar in Utrecht (afgerond)." in page
    assert "70.797 jeugdigen van 0-17 jaar × 26,5 per 1.000 = 1.876" in page
    assert "70.797 × 37,4 per 1.000 = 2.648" in page
    assert (
        "Jeugdigen van 0-17 jaar op 1 januari 2019, geschat uit CBS StatLine 70072ned: 0 tot 15 "
        "jaar plus drie vijfde van 15 tot 20 jaar" in page
    )
    assert 'href="https://www.cbs.nl/impactmonitor">CBS, Impactmonitor</a>' in page


def test_step_multiplies_a_16_plus_rate_by_people_16_plus_not_by_children(cycle, alice, rate):
    """Issue 19 H3: a domestic-violence rate counts people aged 16 and over."""
    PrevalenceRate.objects.create(
        label="Huiselijk geweld 16+",
        low_rate=Decimal(80),
        high_rate=Decimal(80),
        year=2020,
        population=PrevalenceRate.AgeGroup.PEOPLE_16_PLUS,
        source="CBS, Prevalentiemonitor",
    )
    Municipality.objects.filter(pk=cycle.municipality_id).update(
        youth_population=70797,
        youth_population_year=2019,
        adult_population=289226,
        adult_population_year=2019,
        adult_population_source="CBS StatLine 70072ned",
        adult_population_estimated=True,
    )
    page = logged_in(alice).get(step_url(cycle, "situatie")).content.decode()
    assert "289.226" in page and "23.138" in page  # 289,226 × 80 / 1,000
    assert "5.658" not in page  # 70,797 × 80 / 1,000: children are not the population of it
    assert "70.797 jeugdigen van 0-17 jaar × 26,5 per 1.000 = 1.876" in page
    assert "03759ned" in page  # the dated estimate says what would replace it
    # One rate is one number, not a range from a number to itself ("23.100 tot 23.100").
    assert "Ongeveer 23.100 mensen van 16 jaar en ouder in Utrecht (afgerond)." in page
    assert "289.226 mensen van 16 jaar en ouder × 80 per 1.000 = 23.138 (afgerond" in page
    assert "23.100 tot 23.100" not in page


def test_step_says_the_youth_population_is_unknown(cycle, alice, rate):
    page = logged_in(alice).get(step_url(cycle, "situatie")).content.decode()
    assert "Het aantal jeugdigen van 0-17 jaar in Utrecht is onbekend" in page
    assert "Ongeveer" not in page


def test_a_line_with_several_problems_lists_them_all(cycle, alice):
    content = b"indicator;periode;waarde;bron;voorlopig\nA;;abc;;misschien\n"
    page = upload(logged_in(alice), cycle, content).content.decode()
    assert "regel 2: waarde &#x27;abc&#x27; is geen getal." in page
    assert "regel 2: voorlopig &#x27;misschien&#x27; is geen ja of nee." in page
    assert "regel 2: Periode: Dit is een verplicht veld." in page
    assert "regel 2: Bron: Dit is een verplicht veld." in page
    assert "regel 2: Waarde:" not in page
