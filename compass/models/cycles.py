"""The annual cycle (jaarcyclus) of one municipality; its parts arrive with the guided flow."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cms.choices import Databank, Direction, EvidenceLevel
from compass.models.factors import Balance, ProtectiveFactor, RiskFactor
from compass.models.fields import ChoiceList

FIRST_YEAR = 2000
LAST_YEAR = 2100
year_validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]

# The rules of the parts of a cycle live here, on the models (validators and clean()), so every
# entry path refuses the same values with the same message: the step forms (ModelForms), the
# JSON import and the figures upload (compass.parts: `part.validate`) and the admin.
TARGET_HORIZON_YEARS = 10  # a target year lies at most this many years after the cycle year
MAX_PEOPLE = 20_000_000  # more than everyone in the Netherlands: a typing or import error
MAX_CAPACITY = 1_000_000  # places or participants per year of one offering
not_negative = MinValueValidator(0, message=_("A value cannot be negative."))


def _cycle_year(item) -> int | None:
    """The year of the item's cycle, without a query when the cycle is already at hand.

    An item being imported has an unsaved cycle (no id yet); a row of a step form has the
    form's cycle. An item without a cycle is checked on the rules that need none.
    """
    cycle = item._state.fields_cache.get("cycle")
    if cycle is None and item.cycle_id:
        cycle = item.cycle
    return cycle.year if cycle is not None else None


class CycleQuerySet(models.QuerySet):
    def municipal(self):
        """The municipalities' own cycles: what benchmarks, comparisons and lists count."""
        return self.filter(district__isnull=True)

    def of_districts(self):
        return self.filter(district__isnull=False)


class Cycle(models.Model):
    """One municipality's pass through the Kwaliteitskompas for one year.

    A district cycle (`district` set) is one district's pass, beside the municipal cycle of
    the same year (`parent`); aggregations over municipalities use `Cycle.objects.municipal()`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    municipality = models.ForeignKey(
        "compass.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    policy_start_year = models.PositiveSmallIntegerField(
        _("policy period from"),
        validators=year_validators,
        help_text=_("First year of the policy period the ambitions run over (about four years)."),
    )
    policy_end_year = models.PositiveSmallIntegerField(
        _("policy period to"), validators=year_validators
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_cycles",
    )
    # A district cycle (issue 22): one district's own pass through the compass, beside the
    # municipal cycle of the same year (`parent`), whose ambitions and results it shares
    # (compass.districts mirrors them; the registry's `shared` parts).
    district = models.ForeignKey(
        "compass.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("municipal cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="district_cycles",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "-year"]
        verbose_name = _("annual cycle")
        verbose_name_plural = _("annual cycles")
        # Access to a cycle follows its municipality (compass.access). Django's default
        # "view_cycle"/"change_cycle" would clash with Municipality's custom permissions of the
        # same codename in this app, and guardian looks permissions up by app and codename.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                condition=Q(district__isnull=True),
                name="cycle_one_per_municipality_per_year",
            ),
            models.UniqueConstraint(
                fields=["district", "year"],
                condition=Q(district__isnull=False),
                name="cycle_one_per_district_per_year",
            ),
            # One active cycle per municipality and one per district
            # (compass.services.settle_status).
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(status="active", district__isnull=True),
                name="cycle_one_active_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(status="active", district__isnull=False),
                name="cycle_one_active_per_district",
            ),
            # A district cycle always has its municipal cycle, and only a district cycle has one.
            models.CheckConstraint(
                condition=Q(district__isnull=True, parent__isnull=True)
                | Q(district__isnull=False, parent__isnull=False),
                name="cycle_district_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(policy_start_year__lte=F("policy_end_year")),
                name="cycle_policy_period_in_order",
            ),
        ]

    def __str__(self):
        if self.district_id:
            return f"{self.district.name} ({self.municipality}) {self.year}"
        return f"{self.municipality} {self.year}"

    @property
    def is_district(self) -> bool:
        return self.district_id is not None

    def clean(self):
        super().clean()
        start, end = self.policy_start_year, self.policy_end_year
        if start is not None and end is not None and start > end:
            raise ValidationError(
                {"policy_end_year": _("The policy period cannot end before it starts.")}
            )
        if start is not None and self.year is not None and not start <= self.year <= (end or 0):
            raise ValidationError(
                {"policy_start_year": _("The policy period must include the cycle year.")}
            )
        if self.previous_id and self.previous.municipality_id != self.municipality_id:
            raise ValidationError(
                {"previous": _("The previous cycle must belong to the same municipality.")}
            )
        if self.previous_id and self.previous.year >= (self.year or 0):
            raise ValidationError({"previous": _("The previous cycle must be of an earlier year.")})
        if self.previous_id and self.previous.district_id != self.district_id:
            raise ValidationError(
                {"previous": _("The previous cycle must belong to the same district.")}
            )
        if self.district_id and self.district.municipality_id != self.municipality_id:
            raise ValidationError(
                {"district": _("The district must lie in the cycle's municipality.")}
            )
        if self.parent_id and (
            self.parent.district_id is not None
            or self.parent.municipality_id != self.municipality_id
            or self.parent.year != self.year
        ):
            raise ValidationError(
                {"parent": _("A district cycle belongs to its municipality's cycle of that year.")}
            )


# --- The parts of a cycle (blocks 1-6 of the compass) -------------------------------------
#
# Every model below is reached through its cycle, and every view reaches the cycle through
# compass.access.get_cycle_for. `default_permissions = ()` everywhere: guardian looks
# permissions up by app label and codename, and none of these may shadow Municipality's.


def mirror_of():
    """In a district cycle: the municipal row this row mirrors (compass.district_cycles); empty
    in a municipal cycle. Deleting the municipal row deletes its mirrors."""
    return models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="mirrors",
    )


class CyclePart(models.Model):
    """Base of the parts of a cycle: listed in the order they were added; no model permissions
    (access follows the municipality, see the note above)."""

    class Meta:
        abstract = True
        default_permissions = ()
        ordering = ["pk"]


class Step(models.TextChoices):
    """The seven steps of the guided flow, in order; each is its own saved part of a cycle."""

    SITUATION = "situatie", _("Situation")
    AMBITIONS = "ambities", _("Ambitions and results")
    TARGET_GROUPS = "doelgroepen", _("Target groups")
    OFFERING = "aanbod", _("Offering")
    QUALITY = "kwaliteit", _("Quality")
    OUTCOMES = "uitkomsten", _("Outcomes")
    IMPROVEMENT = "verbeterplan", _("Improvement plan")


# The compass block whose guidance each step shows (block 0 is shown on the dashboard).
# Ambitions belong to block 1 (NJi 1B); target groups to block 2, where ambitions are made
# measurable ("bepaal doelen en doelgroepen").
STEP_BLOCK = {
    Step.SITUATION: 1,
    Step.AMBITIONS: 1,
    Step.TARGET_GROUPS: 2,
    Step.OFFERING: 3,
    Step.QUALITY: 4,
    Step.OUTCOMES: 5,
    Step.IMPROVEMENT: 6,
}


# The compass blocks a step covers, for its title ("Blok 1–2 · Ambities en resultaten"): the
# Ambities step holds the ambitions (block 1, NJi 1B) and the results that make them
# measurable (block 2, maatschappelijk resultaat). Block 0 (samenwerking) is the base under
# every step and is shown on the dashboard.
STEP_BLOCKS = {
    Step.SITUATION: (1,),
    Step.AMBITIONS: (1, 2),
    Step.TARGET_GROUPS: (2,),
    Step.OFFERING: (3,),
    Step.QUALITY: (4,),
    Step.OUTCOMES: (5,),
    Step.IMPROVEMENT: (6,),
}


def step_title(step) -> str:
    """The step's name with its compass block: "Blok 4 · Kwaliteit" (GLOSSARY.md)."""
    from django.utils.translation import gettext

    step = Step(step)
    first, last = STEP_BLOCKS[step][0], STEP_BLOCKS[step][-1]
    blocks = str(first) if first == last else f"{first}–{last}"
    return gettext("Block %(blocks)s · %(step)s") % {"blocks": blocks, "step": step.label}


class StepProgress(models.Model):
    """The saved state of one step of a cycle: status, the draft, and a version for locking."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="progress")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    # Raised on every save (draft or final); a save that carries an older version is refused.
    version = models.PositiveIntegerField(default=0)
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    draft_saved_at = models.DateTimeField(_("draft saved at"), null=True, blank=True)
    saved_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        default_permissions = ()
        verbose_name = _("step progress")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "step"], name="progress_one_per_cycle_step")
        ]

    def __str__(self):
        return f"{self.cycle} {self.step}"

    @property
    def has_draft(self) -> bool:
        return bool(self.draft)


class ChangeRecord(models.Model):
    """One changed field of one saved item: who, when, which field, old and new value.

    Stored as data (the part's registry key, the field's name and its raw values as JSON) and
    shown in the reader's language when read (compass.parts.history). Rows written before
    that (event "text") hold text in the language of whoever saved; they are shown as stored.
    """

    class Event(models.TextChoices):
        TEXT = "text", _("text")  # item/field/old/new hold ready text (older rows)
        CHANGED = "changed", _("changed")  # one field of one item: field_name, old/new_value
        REMOVED = "removed", _("removed")  # one item removed; `item` is its text
        IMPORTED = "imported", _("imported")  # the whole step came from a JSON file

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="changes")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    item = models.CharField(_("item"), max_length=300)
    field = models.CharField(_("field"), max_length=200)
    old = models.TextField(_("old value"), blank=True)
    new = models.TextField(_("new value"), blank=True)
    event = models.CharField(_("event"), max_length=10, choices=Event.choices, default=Event.TEXT)
    part = models.CharField(_("part"), max_length=40, blank=True)  # compass.parts key
    field_name = models.CharField(_("field name"), max_length=60, blank=True)
    old_value = models.JSONField(_("old value (data)"), null=True, blank=True)
    new_value = models.JSONField(_("new value (data)"), null=True, blank=True)

    class Meta:
        default_permissions = ()
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["cycle", "step", "-at"])]

    def __str__(self):
        return f"{self.item}: {self.field_name or self.field}"

    @property
    def shown(self):
        """Item, field, old and new value as text in the active (the reader's) language."""
        from compass.parts.history import shown

        return shown(self)


percentage_validators = [MinValueValidator(0), MaxValueValidator(100)]


class SituationFigure(CyclePart):
    """A figure about how children are doing, as the team uses it (block 1)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(
        "cms.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    label = models.CharField(_("figure"), max_length=200)
    period = models.CharField(_("period"), max_length=40, help_text=_("E.g. 2025 or 2025 H1."))
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0, message=_("A figure cannot be negative."))],
    )
    source = models.CharField(_("source"), max_length=200)
    provisional = models.BooleanField(_("provisional figure"), default=False)

    def __str__(self):
        return self.label


class SituationReading(models.Model):
    """How the team discussed the figures: recognise, explain, appraise, improve."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="reading")
    recognise = models.TextField(_("Do we recognise the figures?"), blank=True, max_length=4000)
    explain = models.TextField(_("What explains them?"), blank=True, max_length=4000)
    appraise = models.TextField(_("Is this good or bad?"), blank=True, max_length=4000)
    improve = models.TextField(_("What action follows?"), blank=True, max_length=4000)
    signals = models.TextField(_("Signals from practice"), blank=True, max_length=4000)
    participants = models.TextField(_("Who took part"), blank=True, max_length=2000)
    # Risk and protective factors seen in the municipality (DOMAIN.md §7), and the balance.
    risk_factor_codes = ChoiceList(
        _("Which risk factors of child abuse do we see?"),
        options=RiskFactor,
        help_text=_("NJi, Ken de risicofactoren: risks accumulate."),
    )
    protective_factor_codes = ChoiceList(
        _("Which protective factors are strong, or need strengthening?"),
        options=ProtectiveFactor,
        help_text=_("NJi's top 10 protective factors."),
    )
    balance = models.CharField(
        _("Balance of risks and protection"),
        max_length=12,
        choices=Balance.choices,
        blank=True,
        help_text=_("The balance model: do the protective factors outweigh the risks?"),
    )
    # The regional vision (regiovisie) the municipality's policy is part of (block 1).
    regional_vision_url = models.URLField(_("Link to the regional vision"), blank=True)
    regional_vision = models.TextField(
        _("What the regional vision asks of us"), blank=True, max_length=2000
    )

    class Meta:
        default_permissions = ()

    def __str__(self):
        return str(self.cycle)


class Ambition(CyclePart):
    """What the municipality wants for children (block 1), made measurable by results."""

    class Kind(models.TextChoices):
        REDUCE = "reduce", _("reduce a problem")
        STRENGTHEN = "strengthen", _("strengthen a protective factor")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ambitions")
    shared_from = mirror_of()
    kind = models.CharField(_("kind of ambition"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("ambition"), max_length=500)
    risk_factors = models.CharField(_("risk factors"), max_length=500, blank=True)
    protective_factors = models.CharField(_("protective factors"), max_length=500, blank=True)

    def __str__(self):
        return self.text


class Result(CyclePart):
    """A societal result of an ambition: a number and a year (block 2)."""

    class Type(models.TextChoices):
        SUBSTANTIVE = "substantive", _("substantive")
        PROCESS = "process", _("process")
        PRECONDITION = "precondition", _("precondition")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    shared_from = mirror_of()
    ambition = models.ForeignKey(
        Ambition, verbose_name=_("ambition"), on_delete=models.CASCADE, related_name="results"
    )
    type = models.CharField(_("type of result"), max_length=12, choices=Type.choices)
    text = models.CharField(_("result"), max_length=500)
    indicator = models.ForeignKey(
        "cms.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative],
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative],
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        errors = {}
        year = _cycle_year(self)
        first, last = (year, year + TARGET_HORIZON_YEARS) if year else (FIRST_YEAR, LAST_YEAR)
        if self.target_year is not None and not first <= self.target_year <= last:
            errors["target_year"] = _("The target year lies between %(first)s and %(last)s.") % {
                "first": first,
                "last": last,
            }
        last = year or LAST_YEAR
        if self.baseline_year is not None and not FIRST_YEAR <= self.baseline_year <= last:
            errors["baseline_year"] = (
                _("The baseline year lies between %(first)s and the cycle year %(last)s.")
                % {"first": FIRST_YEAR, "last": last}
                if year
                else _("The baseline year lies between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": last}
            )
        if (self.unit or "").strip() == "%":
            for name in ("baseline_value", "target_value"):
                value = getattr(self, name)
                # A negative value is refused by the field's own validator.
                if isinstance(value, int | float | Decimal) and value > 100:
                    errors[name] = _("A percentage lies between 0 and 100.")
        if errors:
            raise ValidationError(errors)


class ResultValue(models.Model):
    """A measured value of a result in a year."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="result_values")
    shared_from = mirror_of()
    result = models.ForeignKey(
        Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, validators=[not_negative]
    )

    class Meta:
        default_permissions = ()
        ordering = ["year", "pk"]

    def __str__(self):
        return f"{self.result} {self.year}"

    def clean(self):
        super().clean()
        year = _cycle_year(self)
        # A year before FIRST_YEAR is refused by the field's own validator.
        if year and isinstance(self.year, int) and self.year > year:
            raise ValidationError(
                {
                    "year": _("A measured value belongs to a year up to the cycle year %(year)s.")
                    % {"year": year}
                }
            )


class TargetGroup(CyclePart):
    """A risk group the policy focuses on."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="target_groups")
    name = models.CharField(_("target group"), max_length=200)
    risk_factor_codes = ChoiceList(
        _("risk factors of child abuse"),
        options=RiskFactor,
        help_text=_("NJi, Ken de risicofactoren."),
    )
    protective_factor_codes = ChoiceList(
        _("protective factors to strengthen"),
        options=ProtectiveFactor,
        help_text=_("NJi's top 10 protective factors."),
    )
    balance = models.CharField(
        _("balance of risks and protection"), max_length=12, choices=Balance.choices, blank=True
    )
    risk_factors = models.CharField(
        _("risk factors, in your own words"), max_length=500, blank=True
    )
    estimated_size = models.PositiveIntegerField(
        _("estimated size"),
        null=True,
        blank=True,
        help_text=_("Number of people, estimated."),
        validators=[
            MaxValueValidator(
                MAX_PEOPLE, message=_("A target group counts at most %(limit_value)s people.")
            )
        ],
    )

    def __str__(self):
        return self.name


class Offering(CyclePart):
    """What partners do to reach the results (block 3)."""

    class Kind(models.TextChoices):
        PREVENTION = "prevention", _("prevention")
        SIGNALLING = "signalling", _("early signalling")
        HELP = "help", _("help")
        AFTERCARE = "aftercare", _("aftercare")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="offerings")
    name = models.CharField(_("offering"), max_length=200)
    kind = models.CharField(_("kind of offering"), max_length=12, choices=Kind.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="offerings"
    )
    results = models.ManyToManyField(
        Result, verbose_name=_("results it serves"), blank=True, related_name="offerings"
    )
    evidence_level = models.CharField(
        _("evidence level"),
        max_length=20,
        choices=EvidenceLevel.grouped_choices(),
        blank=True,
        help_text=_(
            "In the databank's own words. The Databank Effectieve Jeugdinterventies has four "
            "levels: well founded, and first, good or strong indications of effectiveness; "
            "'well described' is a level of other databanks. Not in a databank is no verdict: "
            "ask the provider why."
        ),
    )
    databank = models.CharField(
        _("databank"),
        max_length=20,
        choices=Databank.choices,
        blank=True,
        help_text=_("The databank that judged the offering (not only the youth databank)."),
    )
    databank_url = models.URLField(_("link to the databank"), blank=True)
    valid_until = models.DateField(_("recognition valid until"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Places or participants per year."),
        validators=[
            MaxValueValidator(
                MAX_CAPACITY,
                message=_("At most %(limit_value)s places or participants a year."),
            )
        ],
    )

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        level = self.evidence_level
        if self.databank and level in (
            EvidenceLevel.NOT_IN_DATABANK,
            EvidenceLevel.NOT_APPLICABLE,
        ):
            errors["databank"] = _(
                "An offering that is in no databank, or is no intervention, names no databank."
            )
        elif self.databank == Databank.YOUTH and level == EvidenceLevel.WELL_DESCRIBED:
            # YOUTH_DATABANK_LEVELS: the youth databank's four levels start at well founded.
            errors["evidence_level"] = _(
                "'Well described' is not a level of the Databank Effectieve "
                "Jeugdinterventies: its four levels start at 'well founded'."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def needs_databank(self) -> bool:
        """A databank's verdict is given, but not which databank gave it."""
        level = self.evidence_level
        return (
            not self.databank and level in EvidenceLevel.values and EvidenceLevel(level).is_verdict
        )


class TheoryOfChange(models.Model):
    """The cycle's veranderverhaal (block 3, NJi 3A): why the offering should reach the results.

    One per cycle, on the Aanbod step; carried into the next cycle (it runs over the policy
    period) and rewritten when the offering changes.
    """

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="theory_of_change")
    story = models.TextField(
        _("Theory of change: why do we expect the offering to reach the results?"),
        blank=True,
        max_length=4000,
        help_text=_(
            "Which activities lead to which results, through which change in families, "
            "professionals or the neighbourhood, and on what assumptions."
        ),
    )

    class Meta:
        default_permissions = ()
        verbose_name = _("theory of change")

    def __str__(self):
        return str(self.cycle)


class QualityCheck(CyclePart):
    """The block 4 questions about one offering."""

    class Answer(models.TextChoices):
        YES = "yes", _("yes")
        PARTLY = "partly", _("partly")
        NO = "no", _("no")
        UNKNOWN = "unknown", _("don't know")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="quality_checks")
    offering = models.OneToOneField(
        Offering, verbose_name=_("offering"), on_delete=models.CASCADE, related_name="quality"
    )
    well_founded = models.CharField(
        _("Is the offering well founded or proven effective?"),
        max_length=8,
        choices=Answer.choices,
    )
    trained = models.CharField(
        _("Are the professionals trained for it?"), max_length=8, choices=Answer.choices
    )
    registered = models.CharField(
        _("Are the professionals registered (e.g. SKJ, BIG)?"),
        max_length=8,
        choices=Answer.choices,
    )
    supervised = models.CharField(
        _("Is there supervision or intervision?"), max_length=8, choices=Answer.choices
    )
    guidelines = models.CharField(
        _("Do the professionals follow the guidelines and the reporting code?"),
        max_length=8,
        choices=Answer.choices,
    )
    notes = models.TextField(_("notes"), blank=True, max_length=4000)

    def __str__(self):
        return str(self.offering)


class OutcomeMeasurement(CyclePart):
    """The block 5 outcome figures of one offering, with the story behind them."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="outcomes")
    offering = models.ForeignKey(
        Offering, verbose_name=_("offering"), on_delete=models.CASCADE, related_name="outcomes"
    )
    reach = models.PositiveIntegerField(
        _("reach (number of participants)"),
        null=True,
        blank=True,
        validators=[
            MaxValueValidator(
                MAX_PEOPLE, message=_("There cannot be more than %(limit_value)s participants.")
            )
        ],
    )
    dropout = models.DecimalField(
        _("dropout (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=percentage_validators,
    )
    usefulness = models.DecimalField(
        _("usefulness as judged by participants (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=percentage_validators,
    )
    goal_realisation = models.DecimalField(
        _("goals reached (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=percentage_validators,
    )
    improvement_suggestions = models.TextField(
        _("improvement suggestions"), blank=True, max_length=4000
    )
    respondents = models.PositiveIntegerField(
        _("number of respondents"),
        null=True,
        blank=True,
        validators=[
            MaxValueValidator(
                MAX_PEOPLE, message=_("There cannot be more than %(limit_value)s respondents.")
            )
        ],
    )
    # Safety is the first outcome of help after violence (block 5; the Impactmonitor's outcome
    # indicators: violence stopped or decreased, felt safety).
    violence_stopped = models.DecimalField(
        _("violence stopped in families (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=percentage_validators,
        help_text=_("Share of families in which the violence stopped, e.g. at the follow-up."),
    )
    feels_safe = models.DecimalField(
        _("participants who feel safe (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=percentage_validators,
        help_text=_("Share of participants (children, parents) who say they feel safe."),
    )
    method = models.CharField(_("method"), max_length=200, blank=True)
    story = models.TextField(_("the story behind the figures"), blank=True, max_length=4000)

    def __str__(self):
        return str(self.offering)

    def clean(self):
        super().clean()
        reach, respondents = self.reach, self.respondents
        if isinstance(reach, int) and isinstance(respondents, int) and respondents > reach:
            raise ValidationError(
                {"respondents": _("There cannot be more respondents than participants.")}
            )


class ImprovementAction(models.Model):
    """What the team continues, strengthens or stops, who does it and when (block 6)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("continue")
        STRENGTHEN = "strengthen", _("strengthen")
        STOP = "stop", _("stop")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=500)
    who = models.CharField(_("who"), max_length=200)
    due = models.DateField(_("when (date)"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    result = models.ForeignKey(
        Result,
        verbose_name=_("result"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    offering = models.ForeignKey(
        Offering,
        verbose_name=_("offering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )

    class Meta:
        default_permissions = ()
        ordering = ["due", "pk"]

    def __str__(self):
        return self.what
