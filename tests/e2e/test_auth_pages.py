"""Issue 20 in the browser: the password reset and two-factor pages, axe-checked throughout."""

import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import expect

from compass.demo import DEMO_PASSWORD

NEW_PASSWORD = "Een lange zin als wachtwoord 42"


def log_in(checked_page, username, password=DEMO_PASSWORD):
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    checked_page.follow(page.get_by_role("button", name="Inloggen"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_forgotten_password_is_reset_by_e_mail(checked_page, task_worker):
    from django.contrib.auth import get_user_model

    call_command("setup_demo", verbosity=0)
    bob = get_user_model().objects.get(username="bob")
    page = checked_page.page
    checked_page.goto("/accounts/login/")
    checked_page.follow(page.get_by_role("link", name="Wachtwoord vergeten?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord vergeten")
    page.locator("input[name=email]").fill(bob.email)
    sent_before = len(task_worker.outbox())
    checked_page.follow(page.get_by_role("button", name="Stuur de link"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    # The request queued the mail; the session's worker process sent it.
    body = task_worker.wait_for_mail(bob.email, after=sent_before).get_body(("plain",))
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", body.get_content())
    checked_page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw wachtwoord instellen")
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    checked_page.follow(page.get_by_role("button", name="Wachtwoord instellen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord ingesteld")
    log_in(checked_page, "bob", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/gemeenten/$"))
    checked_page.assert_every_page_checked()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_factor_set_up_and_log_in_with_a_recovery_code(checked_page):
    from base64 import b32decode

    call_command("setup_demo", verbosity=0)
    page = checked_page.page
    log_in(checked_page, "bob")
    checked_page.goto("/mijn-account/")
    checked_page.follow(page.get_by_role("link", name="Tweestapsverificatie instellen of beheren"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
    key = page.locator("main code").first.inner_text().replace(" ", "")
    page.get_by_label("Code").fill(f"{totp(b32decode(key)):06d}")
    checked_page.follow(page.get_by_role("button", name="Zet aan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
    recovery = page.locator("main .recovery-codes code").first.inner_text()
    checked_page.follow(page.get_by_role("button", name="Uitloggen").first)
    log_in(checked_page, "bob")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul uw code in")
    page.get_by_label("Code").fill(recovery)
    checked_page.follow(page.get_by_role("button", name="Bevestigen"))
    expect(page).to_have_url(re.compile(r"/gemeenten/$"))
    checked_page.assert_every_page_checked()
