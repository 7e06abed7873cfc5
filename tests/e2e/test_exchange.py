"""The practice exchange in the browser (issue 21): ask from an improvement suggestion, answer
as another municipality (pseudonymously), follow, moderate; axe runs on every page.

Selectors use addresses and field names, not the interface text, so the journey holds in
Dutch and English alike."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compass.demo import DEMO_PASSWORD
from compass.models import Cycle, Post, Thread


def log_in(checked_page, username):
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    checked_page.follow(page.locator('form button[type="submit"]').last)


def log_out(checked_page):
    checked_page.follow(checked_page.page.locator('form[action="/accounts/logout/"] button'))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ask_answer_follow_and_moderate(checked_page):
    call_command("setup_demo", verbosity=0)
    # the demo holds a few example threads, marked as such, with answers
    examples = Thread.objects.filter(is_example=True)
    assert examples.count() == 3 and Post.objects.filter(thread__in=examples).count() == 6
    page = checked_page.page
    cycle = Cycle.objects.municipal().get(municipality__code="GM0344", year=2026)

    # alice (Utrecht) asks from an improvement suggestion of her results
    log_in(checked_page, "alice")
    checked_page.goto("/uitwisseling/")
    expect(page.locator(".exchange-example").first).to_be_visible()
    checked_page.goto(f"/jaarcycli/{cycle.pk}/zelfevaluatie/uitslag/")
    suggestion_link = page.locator('.suggestion a[href^="/uitwisseling/?maatregel="]').first
    href = suggestion_link.get_attribute("href")
    code = href.split("=", 1)[1]
    checked_page.follow(suggestion_link)
    checked_page.follow(page.locator(f'a[href="/uitwisseling/vraag/?maatregel={code}"]'))
    expect(page.locator("#privacy-warning")).to_be_visible()
    expect(page.locator('select[name="topic"]')).to_have_value("measure")
    expect(page.locator('select[name="measure_code"]')).to_have_value(code)
    page.locator('input[name="title"]').fill("Hoe meten jullie het bereik van deze maatregel?")
    page.locator('textarea[name="body"]').fill("Wij tellen nu alleen deelnemers <b>per jaar</b>.")
    checked_page.follow(page.locator('main form button[type="submit"]').last)
    expect(page).to_have_url(re.compile(r"/uitwisseling/\d+/$"))
    thread = Thread.objects.get(title__startswith="Hoe meten jullie het bereik")
    assert thread.measure_code == code
    expect(page.locator("main")).to_contain_text("<b>per jaar</b>")  # escaped, shown as typed
    log_out(checked_page)

    # carol (Amersfoort) follows and answers as "a municipality in region ..."
    log_in(checked_page, "carol")
    checked_page.goto(f"/uitwisseling/{thread.pk}/")
    expect(page.locator("main")).to_contain_text("Alice de Vries")
    checked_page.follow(page.locator('form.exchange-follow button[type="submit"]'))
    expect(page.locator('form.exchange-follow input[name="action"]')).to_have_value("unfollow")
    expect(page.locator("#privacy-warning")).to_be_visible()
    page.locator('textarea[name="body"]').fill("Wij vragen het na bij de consultatiebureaus.")
    page.locator('input[name="pseudonymous"]').check()
    checked_page.follow(page.locator('main form[action$="#antwoord-geven"] button[type="submit"]'))
    answer = Post.objects.get(body="Wij vragen het na bij de consultatiebureaus.")
    assert answer.pseudonymous and answer.municipality is None
    article = page.locator(f"#bijdrage-{answer.pk}")
    expect(article).not_to_contain_text("Amersfoort")
    expect(article).not_to_contain_text("Carol")
    log_out(checked_page)

    # alice marks it helpful and reports nothing; she sees no municipality either
    log_in(checked_page, "alice")
    checked_page.goto(f"/uitwisseling/{thread.pk}/")
    expect(page.locator(f"#bijdrage-{answer.pk}")).not_to_contain_text("Amersfoort")
    checked_page.follow(page.locator(f'#bijdrage-{answer.pk} form button[type="submit"]'))
    assert answer.helpful_marks.count() == 1
    log_out(checked_page)

    # erin (content editor) moderates: hides the answer with a reason
    log_in(checked_page, "erin")
    checked_page.goto("/uitwisseling/moderatie/")
    checked_page.follow(
        page.locator(f'a[href="/uitwisseling/bijdrage/{answer.pk}/verbergen/"]').first
    )
    page.locator('textarea[name="reason"]').fill("Test van de moderatie: reden voor de auteur")
    checked_page.follow(page.locator('form:has(input[value="hide"]) button[type="submit"]'))
    answer.refresh_from_db()
    assert answer.is_hidden
    log_out(checked_page)

    # carol sees the reason; alice no longer sees the text
    log_in(checked_page, "carol")
    checked_page.goto(f"/uitwisseling/{thread.pk}/")
    expect(page.locator(f"#bijdrage-{answer.pk}")).to_contain_text("reden voor de auteur")
    log_out(checked_page)
    log_in(checked_page, "alice")
    checked_page.goto(f"/uitwisseling/{thread.pk}/")
    expect(page.locator(f"#bijdrage-{answer.pk}")).not_to_contain_text("consultatiebureaus")
    expect(page.locator(f"#bijdrage-{answer.pk}")).not_to_contain_text("reden voor de auteur")
