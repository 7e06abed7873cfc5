"""Family profiles: which combinations of problems reported families have, and what help each
needs (issue 23, DOMAIN.md section 8).

Content editors maintain kinds of help (`HelpKind`) and versioned sets of family profiles
(`FamilyProfileSet` with its `FamilyProfile` rows, drafts and revisions like `MeasureSet`).
A profile names the problems it combines, its share of reported families and the kinds of
help it needs, each with the evidence levels that fit. The shares of a set must add up to
100 %: a set whose shares do not is refused when it is saved (`shares_problem`).

Municipal teams use a published set in the purchasing check of their cycle
(compass.purchasing). The profiles of the national study are not public here: the demo ships a
set marked as an example.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.choices import EvidenceLevel

HUNDRED = Decimal("100")


def evidence_level_choices():
    """The evidence levels an editor can mark as fitting: the offering's own levels.

    Read when the form is built (a callable), so the levels stay those of
    `cms.choices.EvidenceLevel` whatever they become, and migrations do not copy them.
    """
    return list(EvidenceLevel.choices)


def shares_problem(shares) -> str | None:
    """A Dutch (translated) message when the shares do not add up to exactly 100 %, else None.

    `shares` are percentages (Decimal, int or None for a share not filled in).
    """
    values = [Decimal(str(share)) for share in shares if share is not None]
    if not values:
        return gettext("A set of family profiles needs at least one profile with a share.")
    total = sum(values, Decimal("0"))
    if total != HUNDRED:
        return gettext(
            "The shares of the profiles add up to %(total)s %%, not 100 %%. Correct the shares "
            "so that together they are exactly 100 %%."
        ) % {"total": _number(total)}
    return None


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else f"{value:f}"
    return text.replace(".", ",") if "." in text else text


class HelpKind(models.Model):
    """A kind of help a family can need, e.g. 'Traumabehandeling' or 'Schuldhulp'."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short fixed code, e.g. 'traumabehandeling'. Cycles refer to it."),
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("description")]

    class Meta:
        verbose_name = _("kind of help")
        verbose_name_plural = _("kinds of help")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NeedBlock(blocks.StructBlock):
    """One kind of help a profile needs, with the evidence levels that fit it."""

    help_kind = SnippetChooserBlock(HelpKind, label=_("kind of help"))
    evidence_levels = blocks.MultipleChoiceBlock(
        choices=evidence_level_choices,
        required=False,
        label=_("fitting evidence levels"),
        help_text=_("Leave empty when any level fits."),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        label = _("Needed help")
        icon = "tick"


class FamilyProfileSetForm(WagtailAdminModelForm):
    """The set's edit form: the shares of its profiles must add up to 100 %."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("profiles")
        if formset is None:
            return cleaned
        if not formset.is_valid():  # the profiles' own errors first (validates each row)
            return cleaned
        shares = []
        for form in formset.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            if not form.cleaned_data:
                continue
            shares.append(form.cleaned_data.get("share"))
        problem = shares_problem(shares)
        if problem:
            raise ValidationError(problem, code="shares")
        return cleaned


class FamilyProfileSet(DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """A versioned set of family profiles, with the source and year of its shares."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Fixed code cycles refer to, e.g. 'gezinsprofielen-2021'."),
    )
    name = models.CharField(_("name"), max_length=150)
    version = models.PositiveIntegerField(
        _("version"), default=1, validators=[MinValueValidator(1)]
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the set is based on and how to use it.")
    )
    source = models.CharField(
        _("source of the shares"),
        max_length=300,
        help_text=_("The study or registration the shares come from."),
    )
    source_year = models.PositiveSmallIntegerField(
        _("year of the shares"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    is_example = models.BooleanField(
        _("example set"),
        default=False,
        help_text=_(
            "Tick when the profiles and shares are an example: teams then see the set marked "
            "'voorbeeldset' and that its figures are not those of a study."
        ),
    )

    base_form_class = FamilyProfileSetForm

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("version"), FieldPanel("is_example")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("source"), FieldPanel("source_year")])],
            heading=_("Source of the shares"),
        ),
        InlinePanel(
            "profiles",
            heading=_("Family profiles"),
            label=_("Family profile"),
            help_text=_("The shares of all profiles together must be exactly 100 %."),
        ),
    ]

    class Meta:
        verbose_name = _("set of family profiles")
        verbose_name_plural = _("sets of family profiles")
        ordering = ["name", "-version"]

    def __str__(self):
        label = f"{self.name} (v{self.version})"
        if self.is_example:
            label += " – " + str(_("example set"))
        return label


class FamilyProfile(Orderable):
    """One profile: a combination of problems, its share of reported families, its help."""

    profile_set = ParentalKey(FamilyProfileSet, on_delete=models.CASCADE, related_name="profiles")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    problems = models.TextField(
        _("problems it combines"),
        help_text=_("E.g. partner violence, debts, a parent's addiction."),
    )
    share = models.DecimalField(
        _("share of reported families (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0")),
            MaxValueValidator(Decimal("100")),
        ],
    )
    needs = StreamField(
        [("need", NeedBlock())], verbose_name=_("kinds of help it needs"), blank=True
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("share")]),
        FieldPanel("description"),
        FieldPanel("problems"),
        FieldPanel("needs"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("family profile")
        verbose_name_plural = _("family profiles")

    def __str__(self):
        return self.name

    def need_refs(self) -> list[tuple[int, list[str]]]:
        """(id of the kind of help, fitting evidence level codes) for each need, read from the
        stored stream: no query per profile (`need_list` fetches the kinds of each stream)."""
        out = []
        for block in self.needs.raw_data:
            value = block.get("value") or {}
            if value.get("help_kind") is not None:
                out.append((value["help_kind"], list(value.get("evidence_levels") or [])))
        return out

    def need_list(self) -> list[tuple[HelpKind, list[str]]]:
        """(kind of help, fitting evidence level codes) for each need with a kind."""
        out = []
        for block in self.needs:
            kind = block.value.get("help_kind")
            if kind is not None:
                out.append((kind, list(block.value.get("evidence_levels") or [])))
        return out


def published_sets():
    """The live sets, newest version first within a name."""
    return FamilyProfileSet.objects.filter(live=True).order_by("name", "-version")


def help_kind_choices() -> list[tuple[str, str]]:
    return list(HelpKind.objects.order_by("name").values_list("code", "name"))
