"""The pages of a team lead to the exports they may use, and only to those."""

import pytest

from tests.questionnaire.cycle_helpers import start

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "shown"),
    [("alice", True), ("dave", True), ("bob", True), ("pia", False)],
)
def test_the_dashboard_links_to_the_report_and_downloads_for_who_may_export(
    who, shown, cast, client_for, gemeente_a, alice
):
    cycle = start(gemeente_a, 2026, alice)
    page = client_for(cast[who]).get(f"/jaarcycli/{cycle.pk}/").content.decode()
    assert (f'href="/jaarcycli/{cycle.pk}/downloads/"' in page) is shown
    assert (f'href="/jaarcycli/{cycle.pk}/rapport/"' in page) is shown


@pytest.mark.parametrize(("who", "shown"), [("alice", True), ("dave", False), ("bob", False)])
def test_the_start_page_offers_the_json_import_to_coordinators_only(
    who, shown, cast, client_for, gemeente_a
):
    page = client_for(cast[who]).get("/gemeenten/").content.decode()
    assert (f'href="/gemeenten/{gemeente_a.code}/jaarcyclus/importeren/"' in page) is shown
