"""The practice exchange (praktijkuitwisseling): questions and shared experience among the
policy officers of municipalities (issue 21, DOMAIN.md section 4).

A thread is about one topic (a compass block, a measure of the self-assessment or a general
theme) and holds the question and the answers, each a `Post`. The rules (who may read, post,
follow, moderate; which name a post shows) live in `compass.exchange`; docs/exchange.md.

A pseudonymous post stores no municipality at all, only the region it is shown with ("een
gemeente in regio X"): what is not stored cannot leak into a page, an e-mail or an export.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.choices import Block


class ExchangeTheme(models.TextChoices):
    """General themes for questions that belong to no block or measure."""

    POLICY = "policy", _("Policy and regional vision")
    PREVENTION = "prevention", _("Prevention")
    APPROACH = "approach", _("Approach of domestic violence and child abuse")
    DATA = "data", _("Figures and monitoring")
    PURCHASING = "purchasing", _("Purchasing and offering")
    OTHER = "other", _("Other")


class Thread(models.Model):
    """A question and its answers about one topic."""

    class Topic(models.TextChoices):
        BLOCK = "block", _("compass block")
        MEASURE = "measure", _("measure of the self-assessment")
        THEME = "theme", _("general theme")

    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices)
    block = models.PositiveSmallIntegerField(
        _("block"), choices=Block.choices, null=True, blank=True
    )
    measure_code = models.CharField(_("measure code"), max_length=30, blank=True)
    measure_title = models.CharField(
        _("measure"),
        max_length=200,
        blank=True,
        help_text=_("The measure's title when the question was asked."),
    )
    theme = models.CharField(_("theme"), max_length=20, choices=ExchangeTheme.choices, blank=True)
    title = models.CharField(_("question in one line"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last post at"), db_index=True)
    is_example = models.BooleanField(
        _("example content"),
        default=False,
        help_text=_("Invented by the demo: shown with an 'example' label."),
    )

    class Meta:
        verbose_name = _("exchange thread")
        verbose_name_plural = _("exchange threads")
        ordering = ["-last_post_at", "-pk"]
        default_permissions = ()
        indexes = [models.Index(fields=["topic", "block", "measure_code", "theme"])]

    def __str__(self):
        return self.title

    @property
    def topic_label(self) -> str:
        if self.topic == self.Topic.BLOCK and self.block is not None:
            return str(Block(self.block).label)
        if self.topic == self.Topic.MEASURE:
            return f"{self.measure_code} {self.measure_title}".strip()
        if self.topic == self.Topic.THEME and self.theme:
            return str(ExchangeTheme(self.theme).label)
        return ""


class Post(models.Model):
    """The question or one answer in a thread."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        ANSWER = "answer", _("answer")

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="exchange_posts",
    )
    # Empty on a pseudonymous post: the municipality is then never stored.
    municipality = models.ForeignKey(
        "compass.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pseudonymous = models.BooleanField(_("posted as a municipality in the region"), default=False)
    region_name = models.CharField(
        _("region shown"),
        max_length=100,
        blank=True,
        help_text=_("The region a pseudonymous post is shown with."),
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    tip_id = models.PositiveIntegerField(
        _("tip made from it"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("exchange post")
        verbose_name_plural = _("exchange posts")
        ordering = ["created_at", "pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.thread}: {self.get_kind_display()} {self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class HelpfulMark(models.Model):
    """A reader found an answer helpful (one mark per person and post)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="helpfulmark_one_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}"


class Follow(models.Model):
    """A person follows a thread: its new answers come in their digest."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Answers up to this moment were in a digest (or older than the follow).
    notified_until = models.DateTimeField()

    class Meta:
        verbose_name = _("followed thread")
        verbose_name_plural = _("followed threads")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="follow_one_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.thread_id}"


class DigestSubscription(models.Model):
    """A person's choice about the digest e-mail and when the last one went out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_digest"
    )
    enabled = models.BooleanField(_("e-mail digest of followed threads"), default=True)
    last_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("exchange digest")
        verbose_name_plural = _("exchange digests")
        default_permissions = ()

    def __str__(self):
        return str(self.user_id)


class PostReport(models.Model):
    """Someone reported a post (personal data of children or families, or otherwise wrong)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report of a post")
        verbose_name_plural = _("reports of posts")
        ordering = ["-created_at"]
        default_permissions = ()

    def __str__(self):
        return f"{self.post_id} ({self.created_at:%Y-%m-%d})"


class FindableMunicipality(models.Model):
    """A municipality chose to be listed in "who scores high on this measure" for everyone
    (partners in a sharing agreement see it anyway)."""

    municipality = models.OneToOneField(
        "compass.Municipality", on_delete=models.CASCADE, related_name="exchange_findable"
    )
    findable = models.BooleanField(_("findable in the practice exchange"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("findability in the exchange")
        verbose_name_plural = _("findability in the exchange")
        default_permissions = ()

    def __str__(self):
        return str(self.municipality_id)
