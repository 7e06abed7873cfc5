"""The practice exchange (issue 21): permissions of every view, pseudonymity, digests,
moderation, tips, hostile input, entry points and "who scores high"."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.models import Tip
from compass import exchange
from compass.models import Answer, FindableMunicipality, Follow, Post, PostReport, Thread
from questionnaire import assessment as self_assessment
from tests.factories import UserFactory
from tests.questionnaire.assessment_helpers import ASPECTS, make_cycle, make_measure_set

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Mails are enqueued after the commit; tests run in a transaction, so enqueue at once."""
    monkeypatch.setattr("compass.mail.transaction.on_commit", lambda fn, *a, **k: fn())


def ask(user, municipality, **kwargs):
    values = {
        "title": "Hoe bereiken jullie ouders van baby's?",
        "body": "Wij zoeken een aanpak voor voorlichting.",
        "topic": Thread.Topic.BLOCK,
        "block": 3,
    }
    values.update(kwargs)
    return exchange.ask(user, municipality, **values)


@pytest.fixture
def teamless(db):
    return UserFactory(username="zonder", first_name="Zonder", last_name="Team")


@pytest.fixture
def world(cast, gemeente_a, gemeente_b):
    """A thread of alice (Utrecht) answered by carol (Amersfoort)."""
    thread = ask(cast["alice"], gemeente_a)
    answer = exchange.answer(
        cast["carol"], thread, gemeente_b, "Wij gebruiken het consultatiebureau."
    )
    return thread, answer


def views(thread, answer, municipality):
    """Every view of the exchange: (name, GET url, POST data or None)."""
    token = exchange.unsubscribe_token(answer.author)
    return {
        "exchange": (reverse("questionnaire:exchange"), None),
        "exchange_ask": (reverse("questionnaire:exchange_ask"), None),
        "exchange_thread": (reverse("questionnaire:exchange_thread", args=[thread.pk]), None),
        "exchange_follow": (
            reverse("questionnaire:exchange_follow", args=[thread.pk]),
            {"action": "follow"},
        ),
        "exchange_helpful": (reverse("questionnaire:exchange_helpful", args=[answer.pk]), {}),
        "exchange_report": (reverse("questionnaire:exchange_report", args=[answer.pk]), None),
        "exchange_hide": (reverse("questionnaire:exchange_hide", args=[answer.pk]), None),
        "exchange_tip": (reverse("questionnaire:exchange_tip", args=[answer.pk]), None),
        "exchange_moderation": (reverse("questionnaire:exchange_moderation"), None),
        "exchange_high": (reverse("questionnaire:exchange_high"), None),
        "exchange_findable": (
            reverse("questionnaire:exchange_findable", args=[municipality.code]),
            {"findable": "1"},
        ),
        "exchange_digest": (reverse("questionnaire:exchange_digest"), {"enabled": "1"}),
        "exchange_unsubscribe": (
            reverse("questionnaire:exchange_unsubscribe", args=[token]),
            None,
        ),
    }


PARTICIPANT = {
    "exchange",
    "exchange_ask",
    "exchange_thread",
    "exchange_follow",
    "exchange_helpful",
    "exchange_report",
    "exchange_high",
    "exchange_digest",
}
MODERATOR = {"exchange_hide", "exchange_tip", "exchange_moderation"}
READ_BY_MODERATORS = {"exchange", "exchange_thread"}


def _status(client, url, data):
    return client.post(url, data).status_code if data is not None else client.get(url).status_code


def test_every_url_of_the_exchange_is_in_the_matrix(world, gemeente_a):
    from tests.compass.test_closed_cycle import named_urls

    names = {n.split(":")[1] for n, _route in named_urls() if ":exchange" in n}
    assert names == set(views(*world, gemeente_a))


# alice coordinates A (the question's municipality), bob reads in A; carol (B, the answer's
# author), pia (P, A's partner) and quinn (Q, in no agreement with A) are other municipalities;
# erin is a content editor.
@pytest.mark.parametrize(
    "who", ["anonymous", "teamless", "erin", "alice", "bob", "carol", "pia", "quinn", "admin"]
)
def test_permission_matrix(who, cast, teamless, world, gemeente_a, client_for):
    user = teamless if who == "teamless" else cast[who]
    client = client_for(user)
    for name, (url, data) in views(*world, gemeente_a).items():
        status = _status(client, url, data)
        if name == "exchange_unsubscribe":
            assert status == 200, (who, name)  # the signed link is the key, not the login
        elif user is None:
            assert (
                status == 302
                and "/accounts/login/"
                in (client.get(url) if data is None else client.post(url, data))["Location"]
            ), (who, name)
        elif name == "exchange_findable":
            # A's coordinators only (manage_team): alice; bob reads and pia is A's partner: they
            # see A but may not manage it (403); carol, quinn and people in no team do not
            # see A at all (404)
            expected = {"alice": 302, "bob": 403, "pia": 403, "admin": 302}.get(who, 404)
            assert status == expected, (who, name, status)
        elif who in ("alice", "bob", "carol", "pia", "quinn"):
            expected = 403 if name in MODERATOR else (302 if data is not None else 200)
            assert status == expected, (who, name, status)
        elif who in ("erin", "admin"):
            if name in MODERATOR or name in READ_BY_MODERATORS:
                assert status == 200, (who, name, status)
            else:
                assert status == 403, (who, name, status)
        else:  # logged in, in no team
            assert status == 403, (who, name, status)


def test_content_editors_moderate_but_see_no_cycle_data(cast, world, gemeente_a, client_for):
    """Erin reads threads to moderate them; scores and cycles stay closed to her."""
    client = client_for(cast["erin"])
    assert client.get(reverse("questionnaire:exchange_high") + "?maatregel=m1").status_code == 403
    cycle = make_cycle(gemeente_a)
    assert client.get(f"/jaarcycli/{cycle.pk}/").status_code == 404
    page = client.get(reverse("questionnaire:exchange_thread", args=[world[0].pk]))
    assert "Hide" in page.content.decode() or "Verbergen" in page.content.decode()
    # no answer form for a moderator: she never posts
    assert 'name="body"' not in page.content.decode()
    response = client.post(
        reverse("questionnaire:exchange_thread", args=[world[0].pk]),
        {"body": "Van de redactie", "municipality": str(gemeente_a.pk)},
    )
    assert response.status_code == 403
    assert not Post.objects.filter(body="Van de redactie").exists()


def test_ask_from_a_topic_and_answer_as_another_municipality(
    cast, gemeente_a, gemeente_b, client_for
):
    alice = client_for(cast["alice"])
    form = alice.get(reverse("questionnaire:exchange_ask") + "?blok=2")
    html = form.content.decode()
    assert "Never share personal data" in html or "Deel nooit persoonsgegevens" in html
    response = alice.post(
        reverse("questionnaire:exchange_ask") + "?blok=2",
        {
            "topic": "block",
            "block": "2",
            "title": "Welke indicatoren voor maatschappelijk resultaat?",
            "body": "Wij twijfelen tussen twee indicatoren.",
            "municipality": str(gemeente_a.pk),
        },
    )
    assert response.status_code == 302
    thread = Thread.objects.get(title__startswith="Welke indicatoren")
    assert thread.block == 2 and Follow.objects.filter(thread=thread, user=cast["alice"]).exists()
    carol = client_for(cast["carol"])
    page = carol.get(response["Location"]).content.decode()
    assert "Alice de Vries, gemeente Utrecht" in page
    response = carol.post(
        response["Location"],
        {"body": "Wij volgen de VT-meldingen.", "municipality": str(gemeente_b.pk)},
    )
    assert response.status_code == 302
    answer = Post.objects.get(body="Wij volgen de VT-meldingen.")
    assert answer.municipality == gemeente_b and answer.kind == Post.Kind.ANSWER
    # carol cannot post for Utrecht (not her team): a form error, nothing stored
    response = carol.post(
        reverse("questionnaire:exchange_thread", args=[thread.pk]),
        {"body": "Namens Utrecht", "municipality": str(gemeente_a.pk)},
    )
    assert response.status_code == 200
    assert not Post.objects.filter(body="Namens Utrecht").exists()


def test_bad_input_gives_dutch_errors_and_stores_nothing(cast, gemeente_a, client_for):
    client = client_for(cast["alice"])
    response = client.post(
        reverse("questionnaire:exchange_ask"),
        {"topic": "measure", "title": "", "body": "", "municipality": "x"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "error-summary" in html
    assert "Kies een maatregel" in html or "Choose a measure" in html
    assert Thread.objects.count() == 0


def test_pseudonymous_posts_never_reveal_the_municipality(cast, gemeente_a, gemeente_b, client_for):
    thread = ask(cast["carol"], gemeente_b, pseudonymous=True, title="Anonieme vraag")
    question = thread.posts.get()
    assert question.municipality is None and question.pseudonymous
    assert question.region_name  # Amersfoort lies in a Veilig Thuis region
    exchange.follow(thread, cast["alice"])
    answer = exchange.answer(
        cast["bert"], thread, gemeente_b, "Anoniem antwoord", pseudonymous=True
    )
    assert answer.municipality is None
    pages = []
    for who in ("alice", "erin", "carol", "admin"):
        client = client_for(cast[who])
        for url in (
            reverse("questionnaire:exchange"),
            reverse("questionnaire:exchange_thread", args=[thread.pk]),
            reverse("questionnaire:exchange_moderation"),
            reverse("questionnaire:exchange_hide", args=[answer.pk]),
            reverse("questionnaire:exchange_report", args=[answer.pk]),
            reverse("questionnaire:exchange") + "?q=Anoniem",
        ):
            response = client.get(url)
            if response.status_code == 200:
                pages.append((who, url, response.content.decode()))
    assert len(pages) >= 10
    for who, url, html in pages:
        if who == "carol":  # her own answer form offers her own municipality
            html = re.sub(r"<select.*?</select>", "", html, flags=re.S)
        for secret in ("Amersfoort", "Carol Visser", "Bertholda", "carol@", "bert.kwak"):
            if who == "carol" and secret == "Carol Visser":
                continue  # her own name in the header "Logged in as"
            assert secret not in html, (who, url, secret)
    region_line = f"een gemeente in regio {question.region_name}"
    assert region_line in pages[1][2] or "a municipality in region" in pages[1][2]
    # the e-mail digest of alice names the region only
    mail.outbox.clear()
    exchange.send_digests(now=timezone.now() + timedelta(seconds=1))
    to_alice = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert len(to_alice) == 1
    text = to_alice[0].body + to_alice[0].subject
    assert "Anoniem antwoord" in text and "Amersfoort" not in text and "Bertholda" not in text
    # the tip made of it names nobody
    admin = client_for(cast["admin"])
    admin.post(reverse("questionnaire:exchange_tip", args=[answer.pk]), {"block": "3"})
    tip = Tip.objects.get(text="Anoniem antwoord")
    assert "Amersfoort" not in tip.source and not tip.live


def test_digest_sent_once_at_most_daily_and_each_answer_once(cast, world, gemeente_b):
    thread, first = world
    alice = cast["alice"].email

    def to_alice():
        return [m for m in mail.outbox if m.to == [alice]]

    now = timezone.now() + timedelta(seconds=1)
    mail.outbox.clear()
    assert exchange.send_digests(now=now) == 1  # alice; carol wrote the only answer herself
    assert len(to_alice()) == 1 and len(mail.outbox) == 1
    body = to_alice()[0].body
    assert "Wij gebruiken het consultatiebureau." in body
    assert "/uitwisseling/afmelden/" in body
    # running the job again sends nothing: nothing new
    assert exchange.send_digests(now=now + timedelta(minutes=5)) == 0
    second = exchange.answer(cast["bert"], thread, gemeente_b, "Tweede antwoord")
    Post.objects.filter(pk=second.pk).update(created_at=now + timedelta(hours=1))
    exchange.send_digests(now=now + timedelta(hours=2))
    assert len(to_alice()) == 1  # at most one a day for alice
    exchange.send_digests(now=now + timedelta(days=1))
    assert len(to_alice()) == 2
    latest = to_alice()[-1].body
    assert "Tweede antwoord" in latest and "consultatiebureau" not in latest
    exchange.send_digests(now=now + timedelta(days=3))
    assert len(to_alice()) == 2  # each answer once


def test_the_digest_goes_out_through_the_mail_queue_after_the_commit(
    cast, world, monkeypatch, django_capture_on_commit_callbacks
):
    """The cron command queues one `send_mail_task` (queue "mail") per recipient once the
    transaction commits; it sends nothing itself."""
    from compass import mail as mail_module

    monkeypatch.undo()  # the real transaction.on_commit, not the autouse shortcut
    queued = []

    class Recorder:
        queue_name = mail_module.send_mail_task.queue_name

        def enqueue(self, *args):
            queued.append(args)

    monkeypatch.setattr(mail_module, "send_mail_task", Recorder())
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("send_exchange_digests", stdout=out)
        assert queued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert Recorder.queue_name == "mail"
    assert [args[2] for args in queued] == [cast["alice"].email]
    assert "/uitwisseling/afmelden/" in queued[0][1]
    assert mail.outbox == []  # a worker sends it, not the command
    assert "1 digest" in out.getvalue()


def test_unsubscribe_in_one_click(cast, world, client_for):
    alice = cast["alice"]
    token = exchange.unsubscribe_token(alice)
    response = client_for(None).get(reverse("questionnaire:exchange_unsubscribe", args=[token]))
    assert response.status_code == 200 and not exchange.digest_enabled(alice)
    mail.outbox.clear()
    assert exchange.send_digests(now=timezone.now() + timedelta(seconds=1)) == 0
    assert mail.outbox == []
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    bad = client_for(None).get(reverse("questionnaire:exchange_unsubscribe", args=[forged]))
    assert bad.status_code == 404
    client_for(None).post(
        reverse("questionnaire:exchange_unsubscribe", args=[token]), {"action": "resubscribe"}
    )
    assert exchange.digest_enabled(alice)


def test_hostile_input_is_shown_escaped(cast, gemeente_a, gemeente_b, client_for):
    thread = ask(
        cast["alice"], gemeente_a, title=SCRIPT, body=SCRIPT + "\n<img src=x onerror=alert(1)>"
    )
    exchange.answer(cast["carol"], thread, gemeente_b, '"><svg onload=alert(1)>')
    for who in ("alice", "carol", "erin"):
        client = client_for(cast[who])
        for url in (
            reverse("questionnaire:exchange"),
            reverse("questionnaire:exchange_thread", args=[thread.pk]),
            reverse("questionnaire:exchange") + "?q=" + "%3Cscript%3E",
            reverse("questionnaire:exchange_moderation"),
        ):
            response = client.get(url)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            for marker in (SCRIPT, "<img src=x", "<svg onload"):
                assert marker not in html, (who, url, marker)
    assert Thread.objects.get(pk=thread.pk).title == SCRIPT  # stored as typed


def test_search_finds_titles_and_answers_but_not_hidden_posts(cast, world, client_for):
    thread, answer = world
    alice = client_for(cast["alice"])
    url = reverse("questionnaire:exchange")
    link = reverse("questionnaire:exchange_thread", args=[thread.pk])
    assert link in alice.get(url + "?q=consultatiebureau").content.decode()
    assert link in alice.get(url + "?q=bereiken ouders").content.decode()
    assert link not in alice.get(url + "?q=zeldzaamwoord").content.decode()
    exchange.hide(answer, cast["erin"], "Noemt een gezin")
    assert link not in alice.get(url + "?q=consultatiebureau").content.decode()
    assert link in client_for(cast["erin"]).get(url + "?q=consultatiebureau").content.decode()


def test_mark_helpful_once_and_never_ones_own(cast, world, client_for):
    thread, answer = world
    alice = client_for(cast["alice"])
    url = reverse("questionnaire:exchange_helpful", args=[answer.pk])
    alice.post(url)
    assert answer.helpful_marks.count() == 1
    alice.post(url)  # a second click takes it back
    assert answer.helpful_marks.count() == 0
    client_for(cast["carol"]).post(url)
    assert answer.helpful_marks.count() == 0


def test_report_and_hide_with_a_reason_its_author_sees(cast, world, client_for):
    thread, answer = world
    alice = client_for(cast["alice"])
    response = alice.get(reverse("questionnaire:exchange_report", args=[answer.pk]))
    assert "privacy-warning" in response.content.decode()
    alice.post(
        reverse("questionnaire:exchange_report", args=[answer.pk]), {"reason": "Noemt een kind"}
    )
    assert PostReport.objects.filter(post=answer, handled_at=None).count() == 1
    erin = client_for(cast["erin"])
    queue = erin.get(reverse("questionnaire:exchange_moderation")).content.decode()
    assert reverse("questionnaire:exchange_hide", args=[answer.pk]) in queue
    # a reason is required
    erin.post(
        reverse("questionnaire:exchange_hide", args=[answer.pk]), {"action": "hide", "reason": ""}
    )
    answer.refresh_from_db()
    assert not answer.is_hidden
    erin.post(
        reverse("questionnaire:exchange_hide", args=[answer.pk]),
        {"action": "hide", "reason": "Reden-zichtbaar-voor-auteur"},
    )
    answer.refresh_from_db()
    assert answer.is_hidden and answer.hidden_by == cast["erin"]
    assert not PostReport.objects.filter(post=answer, handled_at=None).exists()
    thread_url = reverse("questionnaire:exchange_thread", args=[thread.pk])
    own = client_for(cast["carol"]).get(thread_url).content.decode()
    assert "Reden-zichtbaar-voor-auteur" in own and "consultatiebureau" in own
    other = alice.get(thread_url).content.decode()
    assert "consultatiebureau" not in other and "Reden-zichtbaar-voor-auteur" not in other
    # a municipal user cannot hide anything
    response = alice.post(
        reverse("questionnaire:exchange_hide", args=[answer.pk]), {"action": "restore"}
    )
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.is_hidden


def test_a_hidden_question_hides_its_thread_from_others(cast, world, client_for):
    thread, _answer = world
    exchange.hide(thread.posts.get(kind="question"), cast["erin"], "Persoonsgegevens")
    url = reverse("questionnaire:exchange_thread", args=[thread.pk])
    assert client_for(cast["carol"]).get(url).status_code == 404
    assert client_for(cast["alice"]).get(url).status_code == 200  # its author
    assert client_for(cast["erin"]).get(url).status_code == 200


def test_the_digest_leaves_out_threads_the_follower_may_no_longer_see(cast, world, gemeente_b):
    """carol follows alice's thread (she answered it); once its question is hidden she cannot
    open it, so its new answers are not mailed to her either."""
    thread, _answer = world
    exchange.answer(cast["bert"], thread, gemeente_b, "Antwoord na het verbergen")
    exchange.hide(thread.posts.get(kind="question"), cast["erin"], "Persoonsgegevens")
    mail.outbox.clear()
    exchange.send_digests(now=timezone.now() + timedelta(seconds=1))
    assert [m.to for m in mail.outbox] == [[cast["alice"].email]]  # the question's author


def test_a_good_answer_becomes_a_draft_tip(cast, world, client_for):
    _thread, answer = world
    response = client_for(cast["erin"]).post(
        reverse("questionnaire:exchange_tip", args=[answer.pk]), {"block": "3"}
    )
    assert response.status_code == 302
    tip = Tip.objects.get(text=answer.body)
    assert tip.block == 3 and not tip.live
    assert "Amersfoort" not in tip.source and "Carol" not in tip.source
    answer.refresh_from_db()
    assert answer.tip_id == tip.pk
    # bad block: a form error, no tip
    client_for(cast["erin"]).post(
        reverse("questionnaire:exchange_tip", args=[answer.pk]), {"block": "99"}
    )
    assert Tip.objects.count() == 1


def _submitted(municipality, measure_set, user, value):
    cycle = make_cycle(municipality)
    assessment = self_assessment.start(cycle, measure_set)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, measure_code=code, aspect=aspect, value=value)
        for code in ("m1", "m2", "m3")
        for aspect in ASPECTS
    )
    self_assessment.submit(assessment, self_assessment.load_measure_set(measure_set), user)


def test_who_scores_high_lists_only_partners_and_findable_municipalities(
    cast, gemeente_a, gemeente_b, gemeente_p, gemeente_q, client_for
):
    measure_set = make_measure_set()
    for municipality, user in (
        (gemeente_b, cast["carol"]),
        (gemeente_p, cast["pia"]),
        (gemeente_q, cast["quinn"]),
    ):
        _submitted(municipality, measure_set, user, "4")
    url = reverse("questionnaire:exchange_high") + "?maatregel=m1"
    page = client_for(cast["alice"]).get(url).content.decode()
    # P is alice's partner (regio Utrecht); B and Q are not, and not findable
    assert "Nieuwegein" in page and "Amersfoort" not in page and "IJsselstein" not in page
    assert "100" not in page  # the band, never the score
    client_for(cast["quinn"]).post(
        reverse("questionnaire:exchange_findable", args=[gemeente_q.code]), {"findable": "1"}
    )
    assert FindableMunicipality.objects.get(municipality=gemeente_q).findable
    page = client_for(cast["alice"]).get(url).content.decode()
    assert "IJsselstein" in page and "Amersfoort" not in page


def test_results_page_links_into_the_exchange(cast, gemeente_a, client_for):
    measure_set = make_measure_set()
    cycle = make_cycle(gemeente_a)
    assessment = self_assessment.start(cycle, measure_set)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, measure_code=code, aspect=aspect, value="1")
        for code in ("m1", "m2", "m3")
        for aspect in ASPECTS
    )
    self_assessment.submit(assessment, self_assessment.load_measure_set(measure_set), cast["alice"])
    html = (
        client_for(cast["alice"])
        .get(f"/jaarcycli/{cycle.pk}/zelfevaluatie/uitslag/")
        .content.decode()
    )
    suggestions = html[html.index('class="utrecht-ordered-list suggestions"') :]
    suggestions = suggestions[: suggestions.index("</ol>")]
    assert (
        suggestions.count("/uitwisseling/?maatregel=")
        == suggestions.count('class="suggestion"')
        > 0
    )
    for code in ("m1", "m2", "m3"):
        assert f"/uitwisseling/?maatregel={code}" in html
        assert f"/uitwisseling/wie-scoort-hoog/?maatregel={code}" in html
    # the link leads to the measure's threads with an ask button for that measure
    page = client_for(cast["alice"]).get("/uitwisseling/?maatregel=m1").content.decode()
    assert "/uitwisseling/vraag/?maatregel=m1" in page


def test_a_thread_is_not_found_by_id_when_it_does_not_exist(cast, client_for):
    client = client_for(cast["alice"])
    assert client.get(reverse("questionnaire:exchange_thread", args=[999999])).status_code == 404
    assert client.post(reverse("questionnaire:exchange_helpful", args=[999999])).status_code == 404
