"""The rules of the practice exchange (docs/exchange.md): who takes part, who moderates, which
name a post shows, asking, answering, following, marking, reporting, hiding, the daily digest
and the one-click unsubscribe.

- **Taking part** (reading, asking, answering, following, marking, reporting): people with a
  role in the team of an active municipality. Content editors, staff and superusers never hold
  a role (`may_hold_municipal_role`), so they never post.
- **Moderating** (reading every post, hiding with a reason, making a tip of an answer): content
  editors (anyone who may open the Wagtail admin) and superusers. Moderators see no cycle
  data: the exchange's pages show threads only, never a score.
- **Anonymous visitors** see nothing (the views send them to the login page).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compass.mail import send_later
from compass.models import (
    DigestSubscription,
    Follow,
    HelpfulMark,
    Municipality,
    Post,
    PostReport,
    Region,
    Thread,
)
from compass.models.organisations import may_hold_municipal_role

UNSUBSCRIBE_SALT = "compass.exchange.unsubscribe"
# A digest goes out at most once per this period, however often the job runs.
DIGEST_MIN_INTERVAL = timedelta(hours=23)
MAX_TITLE = 200
MAX_BODY = 10_000


class ExchangeError(Exception):
    """A refused action, with a Dutch message for the person."""


# --- who -----------------------------------------------------------------------------------
def author_municipalities(user) -> QuerySet[Municipality]:
    """The active municipalities a person may post for: those of their memberships."""
    if user is None or not user.is_authenticated or not may_hold_municipal_role(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(
        memberships__user=user, status=Municipality.Status.ACTIVE
    ).order_by("name")


def may_take_part(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_exchange_part", None)
    if cached is None:
        cached = author_municipalities(user).exists()
        user._exchange_part = cached
    return cached


def may_moderate(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def may_read(user) -> bool:
    return may_take_part(user) or may_moderate(user)


# --- names ---------------------------------------------------------------------------------
def region_name_of(municipality: Municipality) -> str:
    """The region a pseudonymous post names: the Veilig Thuis region, else any region."""
    regions = list(municipality.regions.order_by("kind", "name").values_list("kind", "name"))
    for kind, name in regions:
        if kind == Region.Kind.VEILIG_THUIS:
            return name
    return regions[0][1] if regions else ""


def shown_author(post: Post) -> str:
    """The author line every reader sees: name and municipality, or only the region."""
    if post.pseudonymous:
        if post.region_name:
            return _("a municipality in region %(region)s") % {"region": post.region_name}
        return _("a municipality")
    name = ""
    if post.author is not None:
        name = post.author.get_full_name() or post.author.get_username()
    if post.municipality is not None:
        place = _("municipality %(name)s") % {"name": post.municipality.name}
        return f"{name}, {place}" if name else place
    return name or _("someone")


# --- reading -------------------------------------------------------------------------------
def threads_for(user) -> QuerySet[Thread]:
    """The threads a reader sees: every thread, less those whose question is hidden (its
    author and moderators still see it)."""
    threads = Thread.objects.all()
    if may_moderate(user):
        return threads
    hidden_question = Post.objects.filter(
        thread=OuterRef("pk"), kind=Post.Kind.QUESTION, hidden_at__isnull=False
    ).exclude(author_id=user.pk)
    return threads.exclude(Exists(hidden_question))


def search(threads: QuerySet[Thread], text: str, user) -> QuerySet[Thread]:
    """Threads whose title or a post the reader may read contains every word of `text`."""
    readable = Q() if may_moderate(user) else Q(hidden_at__isnull=True) | Q(author_id=user.pk)
    for word in text.split()[:10]:
        matching = Post.objects.filter(readable, thread=OuterRef("pk"), body__icontains=word)
        threads = threads.filter(Q(title__icontains=word) | Q(Exists(matching)))
    return threads


def with_counts(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    return threads.annotate(
        answer_count=Count(
            "posts", filter=Q(posts__kind=Post.Kind.ANSWER, posts__hidden_at__isnull=True)
        )
    )


def posts_for(thread: Thread, user) -> list[Post]:
    """The posts of a thread in order, each with `helpful_count`, `marked` (by the reader)
    and `shows_body` (False for a hidden post the reader may not read)."""
    moderator = may_moderate(user)
    posts = list(
        thread.posts.select_related("author", "municipality")
        .annotate(helpful_count=Count("helpful_marks", distinct=True))
        .order_by("created_at", "pk")
    )
    marked = set(
        HelpfulMark.objects.filter(post__thread=thread, user_id=user.pk).values_list(
            "post_id", flat=True
        )
    )
    for post in posts:
        post.marked = post.pk in marked
        post.own = post.author_id == user.pk
        post.shows_body = not post.is_hidden or moderator or post.own
        post.author_line = shown_author(post)
    return posts


def question_of(thread: Thread) -> Post | None:
    return thread.posts.filter(kind=Post.Kind.QUESTION).order_by("pk").first()


# --- writing -------------------------------------------------------------------------------
def _check_text(body: str, limit: int = MAX_BODY) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ExchangeError(_("Write a text."))
    if len(body) > limit:
        raise ExchangeError(_("Keep the text under %(limit)d characters.") % {"limit": limit})
    return body


def _author_fields(user, municipality: Municipality, pseudonymous: bool) -> dict:
    if not author_municipalities(user).filter(pk=municipality.pk).exists():
        raise ExchangeError(_("You can only post for a municipality whose team you are in."))
    if pseudonymous:
        return {
            "municipality": None,
            "pseudonymous": True,
            "region_name": region_name_of(municipality),
        }
    return {"municipality": municipality, "pseudonymous": False, "region_name": ""}


@transaction.atomic
def ask(
    user,
    municipality: Municipality,
    *,
    title: str,
    body: str,
    pseudonymous: bool = False,
    topic: str,
    block: int | None = None,
    measure_code: str = "",
    measure_title: str = "",
    theme: str = "",
    is_example: bool = False,
) -> Thread:
    """Start a thread with its question; the asker follows it."""
    title = _check_text(title, MAX_TITLE).replace("\n", " ").replace("\r", " ")
    body = _check_text(body)
    fields = _author_fields(user, municipality, pseudonymous)
    now = timezone.now()
    thread = Thread.objects.create(
        topic=topic,
        block=block if topic == Thread.Topic.BLOCK else None,
        measure_code=measure_code if topic == Thread.Topic.MEASURE else "",
        measure_title=measure_title[:200] if topic == Thread.Topic.MEASURE else "",
        theme=theme if topic == Thread.Topic.THEME else "",
        title=title,
        started_by=user,
        last_post_at=now,
        is_example=is_example,
    )
    Post.objects.create(thread=thread, kind=Post.Kind.QUESTION, author=user, body=body, **fields)
    follow(thread, user)
    return thread


@transaction.atomic
def answer(user, thread: Thread, municipality: Municipality, body: str, pseudonymous=False) -> Post:
    body = _check_text(body)
    fields = _author_fields(user, municipality, pseudonymous)
    post = Post.objects.create(
        thread=thread, kind=Post.Kind.ANSWER, author=user, body=body, **fields
    )
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    follow(thread, user)
    return post


def follow(thread: Thread, user) -> Follow:
    """Follow from now on: answers written before the follow are not in a digest."""
    item, _created = Follow.objects.get_or_create(
        thread=thread, user=user, defaults={"notified_until": timezone.now()}
    )
    return item


def unfollow(thread: Thread, user) -> None:
    Follow.objects.filter(thread=thread, user=user).delete()


def is_following(thread: Thread, user) -> bool:
    return Follow.objects.filter(thread=thread, user_id=user.pk).exists()


def toggle_helpful(post: Post, user) -> bool:
    """Mark or unmark an answer as helpful; one's own post cannot be marked. True if marked."""
    if post.kind != Post.Kind.ANSWER:
        raise ExchangeError(_("Only answers can be marked as helpful."))
    if post.author_id == user.pk:
        raise ExchangeError(_("You cannot mark your own answer as helpful."))
    if post.is_hidden:
        raise ExchangeError(_("This post has been hidden by the moderators."))
    deleted, _rows = HelpfulMark.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    HelpfulMark.objects.get_or_create(post=post, user=user)
    return True


def report(post: Post, user, reason: str) -> PostReport:
    reason = (reason or "").replace("\x00", "").strip()[:2000]
    open_report = PostReport.objects.filter(post=post, reporter=user, handled_at__isnull=True)
    existing = open_report.first()
    if existing is not None:
        return existing
    return PostReport.objects.create(post=post, reporter=user, reason=reason)


@transaction.atomic
def hide(post: Post, moderator, reason: str) -> None:
    if not may_moderate(moderator):
        raise ExchangeError(_("Only moderators can hide a post."))
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise ExchangeError(_("Give the reason: its author reads it."))
    now = timezone.now()
    post.hidden_at, post.hidden_by, post.hidden_reason = now, moderator, reason[:2000]
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    PostReport.objects.filter(post=post, handled_at__isnull=True).update(handled_at=now)


@transaction.atomic
def restore(post: Post, moderator) -> None:
    if not may_moderate(moderator):
        raise ExchangeError(_("Only moderators can hide a post."))
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])


def dismiss_reports(post: Post, moderator) -> None:
    if not may_moderate(moderator):
        raise ExchangeError(_("Only moderators can hide a post."))
    PostReport.objects.filter(post=post, handled_at__isnull=True).update(handled_at=timezone.now())


# --- digest --------------------------------------------------------------------------------
def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_for_token(token: str):
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return get_user_model().objects.filter(pk=data["u"], is_active=True).first()


def set_digest(user, enabled: bool) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    if subscription.enabled != enabled:
        subscription.enabled = enabled
        subscription.save(update_fields=["enabled"])
    return subscription


def digest_enabled(user) -> bool:
    return not DigestSubscription.objects.filter(user_id=user.pk, enabled=False).exists()


def _site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_digests(now=None) -> int:
    """One e-mail per person with new answers in the threads they follow; at most one per
    DIGEST_MIN_INTERVAL. Each answer is in one digest only. Returns the number of mails."""
    now = now or timezone.now()
    sent = 0
    followers = (
        Follow.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", flat=True)
        .distinct()
    )
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(pk__in=list(followers)).order_by("pk"):
        if _send_digest(user, now):
            sent += 1
    return sent


@transaction.atomic
def _send_digest(user, now) -> bool:
    subscription, _created = DigestSubscription.objects.select_for_update().get_or_create(user=user)
    if not subscription.enabled or not may_take_part(user):
        return False
    if subscription.last_sent_at and now - subscription.last_sent_at < DIGEST_MIN_INTERVAL:
        return False
    # only threads the follower may still open (a hidden question hides its thread)
    follows = list(
        Follow.objects.filter(user=user, thread__in=threads_for(user)).select_related("thread")
    )
    items = []
    for item in follows:
        new = list(
            Post.objects.filter(
                thread=item.thread,
                kind=Post.Kind.ANSWER,
                hidden_at__isnull=True,
                created_at__gt=item.notified_until,
                created_at__lte=now,
            )
            .exclude(author=user)
            .select_related("author", "municipality")
            .order_by("created_at", "pk")
        )
        if new:
            items.append(
                {
                    "thread": item.thread,
                    "link": _site_link(
                        reverse("questionnaire:exchange_thread", args=[item.thread.pk])
                    ),
                    "answers": [{"author": shown_author(p), "body": p.body} for p in new],
                }
            )
    if not items:
        return False
    Follow.objects.filter(user=user).update(notified_until=now)
    subscription.last_sent_at = now
    subscription.save(update_fields=["last_sent_at"])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New answers in the practice exchange")
        body = render_to_string(
            "mail/exchange_digest.txt",
            {
                "user": user,
                "items": items,
                "unsubscribe": _site_link(
                    reverse("questionnaire:exchange_unsubscribe", args=[unsubscribe_token(user)])
                ),
            },
        )
    send_later(subject, body, [user.email])
    return True
