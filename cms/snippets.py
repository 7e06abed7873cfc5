"""Snippets content editors maintain: measure sets, tips, indicators, resources, prevalence."""

import textwrap
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from cms.blocks import LinkBlock
from cms.choices import Aspect, Band, Block, Direction, ResourceKind

DEFAULT_LOW_THRESHOLD = 40
DEFAULT_HIGH_THRESHOLD = 70


class MeasureSet(DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """A versioned questionnaire: themes holding measures, with band thresholds."""

    name = models.CharField(
        _("name"),
        max_length=150,
        help_text=_(
            "The name municipalities see, e.g. 'Aanpak kindermishandeling en huiselijk geweld'."
        ),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Raise the version when measures change in a way that makes old answers "
            "incomparable. Submitted self-assessments keep the version they were scored with."
        ),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the set covers and where it comes from."),
    )
    is_example = models.BooleanField(
        _("example set"),
        default=False,
        help_text=_("Tick when this is an example set: users then see it marked 'voorbeeldset'."),
    )
    low_threshold = models.PositiveSmallIntegerField(
        _("low below (%)"),
        default=DEFAULT_LOW_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("A measure realised below this percentage is in the band 'laag'."),
    )
    high_threshold = models.PositiveSmallIntegerField(
        _("high from (%)"),
        default=DEFAULT_HIGH_THRESHOLD,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_(
            "A measure realised at or above this percentage is in the band 'hoog'; "
            "between the two thresholds it is 'deels'."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("version"), FieldPanel("is_example")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("low_threshold"), FieldPanel("high_threshold")])],
            heading=_("Bands"),
        ),
        InlinePanel(
            "themes",
            heading=_("Themes"),
            label=_("Theme"),
            help_text=_("Add the measures of a theme under 'Measures' after publishing the set."),
        ),
    ]

    class Meta:
        verbose_name = _("measure set")
        verbose_name_plural = _("measure sets")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="cms_measureset_name_version")
        ]

    def __str__(self):
        label = f"{self.name} (v{self.version})"
        if self.is_example:
            label += " – " + str(_("example set"))
        return label

    def clean(self):
        super().clean()
        low, high = self.low_threshold, self.high_threshold
        if low is not None and high is not None and not 0 < low < high <= 100:
            raise ValidationError(
                {
                    "high_threshold": _(
                        "The threshold for 'hoog' must be higher than the one for 'laag' and at "
                        "most 100."
                    )
                }
            )

    def band_for(self, percentage: float) -> str:
        """Return the band of a realisation percentage under this set's thresholds."""
        if percentage < self.low_threshold:
            return Band.LOW
        if percentage >= self.high_threshold:
            return Band.HIGH
        return Band.PARTLY


class Theme(Orderable, ClusterableModel):
    """A group of measures within a measure set, e.g. 'Preventie kindermishandeling'."""

    measure_set = ParentalKey(MeasureSet, on_delete=models.CASCADE, related_name="themes")
    code = models.SlugField(
        _("code"), max_length=30, help_text=_("Short code, unique within the set, e.g. 'pkm'.")
    )
    title = models.CharField(_("title"), max_length=150)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("How much the theme counts in the overall realisation (more than 0)."),
    )

    panels = [FieldRowPanel([FieldPanel("code"), FieldPanel("weight")]), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return f"{self.title} ({self.measure_set.name} v{self.measure_set.version})"


class Measure(RevisionMixin, ClusterableModel):
    """One policy goal of a theme, answered on three aspects, with improvement suggestions."""

    theme = models.ForeignKey(
        Theme,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("theme"),
        help_text=_("The theme (and with it the measure set) this measure belongs to."),
    )
    code = models.SlugField(
        _("code"),
        max_length=30,
        help_text=_("Short code, unique within the measure set, e.g. 'pkm-01'."),
    )
    title = models.CharField(_("title"), max_length=200)
    explanation = models.TextField(
        _("explanation"), help_text=_("What the measure means in practice, in plain language.")
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("How much the measure counts within its theme (more than 0)."),
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Measures are shown in this order within the theme.")
    )
    question_what_we_do = models.TextField(
        _("question: what we do"), help_text=_("The question on the aspect 'wat doen we'.")
    )
    question_reach = models.TextField(
        _("question: reach"), help_text=_("The question on the aspect 'bereik'.")
    )
    question_embedding = models.TextField(
        _("question: embedding"), help_text=_("The question on the aspect 'borging'.")
    )

    panels = [
        FieldPanel("theme"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("weight"), FieldPanel("sort_order")]),
        FieldPanel("title"),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [
                FieldPanel("question_what_we_do"),
                FieldPanel("question_reach"),
                FieldPanel("question_embedding"),
            ],
            heading=_("The three aspect questions"),
        ),
        InlinePanel("suggestions", heading=_("Improvement suggestions"), label=_("Suggestion")),
    ]

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["theme__measure_set", "theme__sort_order", "sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        super().clean()
        if not self.theme_id or not self.code:
            return
        clash = Measure.objects.filter(
            theme__measure_set_id=self.theme.measure_set_id, code=self.code
        )
        if self.pk:
            clash = clash.exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {"code": _("Another measure in this measure set already has this code.")}
            )

    def question_for(self, aspect: str) -> str:
        return getattr(self, f"question_{aspect}")


class Suggestion(Orderable):
    """Advice for a measure in a band and/or for a weak aspect, with links."""

    measure = ParentalKey(Measure, on_delete=models.CASCADE, related_name="suggestions")
    band = models.CharField(
        _("band"),
        max_length=10,
        choices=Band.choices,
        blank=True,
        help_text=_("Show this suggestion when the measure is in this band (or leave empty)."),
    )
    weak_aspect = models.CharField(
        _("weak aspect"),
        max_length=20,
        choices=Aspect.choices,
        blank=True,
        help_text=_("Show this suggestion when this aspect scores low (or leave empty)."),
    )
    text = models.TextField(_("text"), help_text=_("The advice, in one or two sentences."))
    links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("links"),
        help_text=_("Pages where the team finds more, e.g. an NJi dossier or a guideline."),
    )

    panels = [
        FieldRowPanel([FieldPanel("band"), FieldPanel("weak_aspect")]),
        FieldPanel("text"),
        FieldPanel("links"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("improvement suggestion")
        verbose_name_plural = _("improvement suggestions")

    def __str__(self):
        return self.text[:60]

    def clean(self):
        super().clean()
        if not self.band and not self.weak_aspect:
            raise ValidationError(
                {"band": _("Choose a band, a weak aspect or both: when should this be shown?")}
            )


class TipQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def live_for_block(self, block_code: int):
        return self.filter(live=True, block=block_code).order_by("sort_order", "pk")


class Tip(DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A short piece of advice on one block of the compass."""

    block = models.PositiveSmallIntegerField(
        _("block"), choices=Block.choices, help_text=_("The block of the compass the tip is about.")
    )
    text = models.TextField(
        _("text"), help_text=_("The tip in one to three sentences, written to the policy team.")
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the advice comes from, e.g. 'NJi, Kwaliteitskompas'."),
    )
    source_url = models.URLField(_("source web address"), blank=True)
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Tips of a block are shown in this order.")
    )

    objects = TipQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("block"), FieldPanel("sort_order")]),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
    ]
    search_fields = [
        index.SearchField("text"),
        index.SearchField("source"),
        index.FilterField("live"),
        index.FilterField("block"),
    ]

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["block", "sort_order", "pk"]

    def __str__(self):
        # Cut at a word boundary (the admin shows this as the tip's title); a single word
        # longer than that (a web address) is cut with an ellipsis.
        short = textwrap.shorten(self.text, 60, placeholder=" …")
        if short == "…":
            short = self.text[:59] + "…"
        return f"{self.block_label}: {short}"

    @property
    def block_label(self) -> str:
        return Block(self.block).label


class Indicator(models.Model):
    """The definition of a figure, possibly read from a CBS StatLine table."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Short unique code, e.g. 'vt-meldingen'."),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("unit"), max_length=60, help_text=_("E.g. 'per 1.000 inwoners', 'aantal' or '%'.")
    )
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        help_text=_(
            "Whether a higher or a lower value is better for children, or neither: Veilig Thuis "
            "counts have no fixed direction (more reports may mean better signalling)."
        ),
    )
    cbs_table_id = models.CharField(
        _("CBS table"),
        max_length=20,
        blank=True,
        help_text=_("The StatLine table identifier, e.g. 84849NED. Leave empty for own figures."),
    )
    region_table_id = models.CharField(
        _("CBS table per Veilig Thuis region"),
        max_length=20,
        blank=True,
        help_text=_(
            "The twin table with the same topics per Veilig Thuis region, e.g. 84848NED beside "
            "84849NED: CBS publishes Veilig Thuis regions in their own table, not as rows of the "
            "municipality table. Only its Veilig Thuis-region rows are read."
        ),
    )
    measure_key = models.CharField(
        _("measure key"),
        max_length=80,
        blank=True,
        help_text=_(
            "The Key of the topic in the table's DataProperties (Type 'Topic'), e.g. "
            "'Meldingen_3'. Check it there: keys differ per table."
        ),
    )
    dimension_filters = models.JSONField(
        _("dimension filters"),
        default=dict,
        blank=True,
        help_text=_(
            'Fixed dimension values as JSON, e.g. {"Melder": "T001038"}. Keys and values come '
            "from the table's code lists; region and period are chosen by the app."
        ),
    )
    definition_url = models.URLField(
        _("definition web address"),
        blank=True,
        help_text=_("Where the definition is explained, e.g. the table's page on StatLine."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("How to read the figure, in plain language.")
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("direction")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("cbs_table_id"), FieldPanel("measure_key")]),
                FieldPanel("region_table_id"),
                FieldPanel("dimension_filters"),
                FieldPanel("definition_url"),
            ],
            heading=_("CBS source"),
        ),
    ]

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not isinstance(self.dimension_filters, dict):
            raise ValidationError(
                {"dimension_filters": _('Enter an object of key/value pairs, e.g. {"A": "B"}.')}
            )
        if self.region_table_id and not self.cbs_table_id:
            raise ValidationError(
                {"region_table_id": _("A region table needs the municipality table beside it.")}
            )
        if self.measure_key and not self.cbs_table_id:
            raise ValidationError(
                {"cbs_table_id": _("A measure key needs the CBS table it belongs to.")}
            )


class KnowledgeResource(models.Model):
    """A link to knowledge: a dossier, a guideline, an intervention, research or a tool."""

    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("web address"))
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    description = models.TextField(
        _("description"), blank=True, help_text=_("One sentence: what the reader finds there.")
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("kind")]),
        FieldPanel("description"),
    ]

    class Meta:
        verbose_name = _("knowledge resource")
        verbose_name_plural = _("knowledge resources")
        ordering = ["title"]

    def __str__(self):
        return self.title


class PrevalenceRate(models.Model):
    """A published prevalence, as a range per 1,000 of a named population (children 0-17 or
    people aged 16 and over), with its source and year."""

    class AgeGroup(models.TextChoices):
        CHILDREN = "0-17", _("children aged 0-17")
        PEOPLE_16_PLUS = "16+", _("people aged 16 and over")

    label = models.CharField(
        _("label"), max_length=200, help_text=_("What is counted, e.g. 'Kindermishandeling'.")
    )
    low_rate = models.DecimalField(
        _("low rate per 1,000"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
        help_text=_("Lower bound: people affected per 1,000 of the population below."),
    )
    high_rate = models.DecimalField(
        _("high rate per 1,000"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
        help_text=_("Upper bound: people affected per 1,000 of the population below."),
    )
    population = models.CharField(
        _("population"),
        max_length=4,
        choices=AgeGroup.choices,
        default=AgeGroup.CHILDREN,
        help_text=_(
            "Whom the rate counts: children aged 0-17 (child abuse) or people aged 16 and over "
            "(domestic violence). The estimate multiplies it by the same population."
        ),
    )
    source = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source web address"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the rate describes."),
    )
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("How the rate was derived from the source, so users can follow the sums."),
    )

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("low_rate"), FieldPanel("high_rate"), FieldPanel("year")]),
        FieldPanel("population"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
        FieldPanel("explanation"),
    ]

    class Meta:
        verbose_name = _("prevalence rate")
        verbose_name_plural = _("prevalence rates")
        ordering = ["label", "-year"]

    def __str__(self):
        return f"{self.label} ({self.year})"

    def clean(self):
        super().clean()
        if (
            self.low_rate is not None
            and self.high_rate is not None
            and self.low_rate > self.high_rate
        ):
            raise ValidationError({"high_rate": _("The high rate must be at least the low rate.")})
