"""The self-assessment (zelfevaluatie) of a cycle: versions, answers and the frozen result.

The scoring rules live in questionnaire/scoring.py (pure functions); the business rules that
save, submit and reopen live in questionnaire/assessment.py. A submitted version keeps its
snapshot (the engine's ``freeze`` output plus the labels shown) and is never changed again.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerValue(models.TextChoices):
    """The answers of one aspect: the 0-4 scale plus "weet niet" and "niet van toepassing"."""

    NOT = "0", _("0 not")
    PREPARING = "1", _("1 in preparation")
    PARTLY = "2", _("2 partly")
    LARGELY = "3", _("3 largely")
    FULLY = "4", _("4 fully")
    DONT_KNOW = "dont_know", _("don't know")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


# The wording of the 0-4 scale per aspect (DOMAIN-REVIEW M2): "volledig" fits "wat doen we"
# but not "wat weten we over het bereik". The values and the scoring stay 0-4 for every aspect
# (questionnaire/scoring.py), so scores and stored snapshots stay comparable; only the words
# change. "Weet niet" and "niet van toepassing" are the same for every aspect.
ASPECT_SCALE = {
    "what_we_do": (
        ("0", _("0 not")),
        ("1", _("1 in preparation")),
        ("2", _("2 partly")),
        ("3", _("3 largely")),
        ("4", _("4 fully")),
    ),
    "reach": (
        ("0", _("0 we do not know whom we reach")),
        ("1", _("1 an estimate only")),
        ("2", _("2 counted: less than half of the target group")),
        ("3", _("3 counted: at least half of the target group")),
        ("4", _("4 counted: (nearly) the whole target group")),
    ),
    "embedding": (
        ("0", _("0 not embedded")),
        ("1", _("1 depends on individual people")),
        ("2", _("2 partly laid down (in a plan or working agreement)")),
        ("3", _("3 laid down in agreements or contracts")),
        ("4", _("4 laid down, financed for the long term and evaluated")),
    ),
}
SPECIAL_ANSWERS = (
    (AnswerValue.DONT_KNOW.value, AnswerValue.DONT_KNOW.label),
    (AnswerValue.NOT_APPLICABLE.value, AnswerValue.NOT_APPLICABLE.label),
)


def answer_choices(aspect: str) -> list[tuple[str, str]]:
    """The answers of one aspect, in its own words: the 0-4 scale, then the two special ones."""
    scale = ASPECT_SCALE.get(aspect)
    if scale is None:  # an aspect this code does not know: the general wording
        return list(AnswerValue.choices)
    return [*scale, *SPECIAL_ANSWERS]


def answer_label(aspect: str, value: str) -> str:
    """The label of a stored answer in its aspect's words ("" when there is none)."""
    return str(dict(answer_choices(aspect)).get(value, "")) if value else ""


class SelfAssessment(models.Model):
    """One version of a cycle's self-assessment; reopening a submitted one starts the next."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SUBMITTED = "submitted", _("submitted")

    cycle = models.ForeignKey(
        "compass.Cycle",
        verbose_name=_("annual cycle"),
        on_delete=models.CASCADE,
        related_name="self_assessments",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    measure_set = models.ForeignKey(
        "cms.MeasureSet",
        verbose_name=_("measure set"),
        on_delete=models.PROTECT,
        related_name="self_assessments",
    )
    measure_set_version = models.PositiveIntegerField(_("measure set version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    snapshot = models.JSONField(_("frozen result"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["cycle", "-version"]
        # Access follows the cycle's municipality (compass.access), never model permissions.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "version"], name="selfassessment_one_per_cycle_version"
            )
        ]

    def __str__(self):
        return f"{self.cycle} v{self.version}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """The answer to one aspect of one measure, with an optional note."""

    assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    measure_code = models.CharField(_("measure code"), max_length=30)
    aspect = models.CharField(_("aspect"), max_length=20)
    value = models.CharField(_("answer"), max_length=20, choices=AnswerValue.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every save, to refuse lost updates.")
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "measure_code", "aspect"],
                name="answer_one_per_assessment_measure_aspect",
            )
        ]

    def __str__(self):
        return f"{self.assessment} {self.measure_code} {self.aspect}: {self.value}"
