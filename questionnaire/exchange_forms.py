"""Forms of the practice exchange (docs/exchange.md): every message in Dutch, never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.choices import Block
from compass.exchange import MAX_BODY, MAX_TITLE
from compass.models import ExchangeTheme, Municipality, Thread


class _AuthorFields(forms.Form):
    """Which municipality a post is for, and whether it only names the region."""

    municipality = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Municipality.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose the municipality you write for."),
            "invalid_choice": _("You can only post for a municipality whose team you are in."),
        },
    )
    pseudonymous = forms.BooleanField(
        label=_(
            'Show only my region ("a municipality in region …") instead of my name and municipality'
        ),
        required=False,
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities is not None and municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first().pk


class AskForm(_AuthorFields):
    field_order = ["topic", "block", "measure_code", "theme", "title", "body"]
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=Thread.Topic.choices,
        error_messages={
            "required": _("Choose what the question is about."),
            "invalid_choice": _("Choose what the question is about."),
        },
    )
    block = forms.TypedChoiceField(
        label=_("Compass block"),
        choices=[("", "–"), *Block.choices],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a block of the compass.")},
    )
    measure_code = forms.ChoiceField(
        label=_("Measure of the self-assessment"),
        choices=[("", "–")],
        required=False,
        error_messages={"invalid_choice": _("Choose a measure of the self-assessment.")},
    )
    theme = forms.ChoiceField(
        label=_("General theme"),
        choices=[("", "–"), *ExchangeTheme.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a theme.")},
    )
    title = forms.CharField(
        label=_("Your question in one line"),
        max_length=MAX_TITLE,
        error_messages={
            "required": _("Write your question in one line."),
            "max_length": _("Keep the question under %(limit_value)d characters."),
        },
    )
    body = forms.CharField(
        label=_("Explanation"),
        help_text=_("What have you tried, what is your situation, what would help you?"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Explain your question."),
            "max_length": _("Keep the text under %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = dict(measures)
        self.fields["measure_code"].choices = [
            ("", "–"),
            *[(code, f"{code} {title}") for code, title in measures],
        ]

    def clean(self):
        data = super().clean()
        topic = data.get("topic")
        wanted = {
            Thread.Topic.BLOCK: ("block", _("Choose a block of the compass.")),
            Thread.Topic.MEASURE: ("measure_code", _("Choose a measure of the self-assessment.")),
            Thread.Topic.THEME: ("theme", _("Choose a theme.")),
        }
        if topic in wanted:
            name, message = wanted[topic]
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, message)
        return data


class AnswerForm(_AuthorFields):
    field_order = ["body"]
    body = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write your answer."),
            "max_length": _("Keep the text under %(limit_value)d characters."),
        },
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        help_text=_("For example: it names a child or a family. The moderators read this."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the text under %(limit_value)d characters.")},
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding (its author reads this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Give the reason: its author reads it."),
            "max_length": _("Keep the text under %(limit_value)d characters."),
        },
    )


class TipForm(forms.Form):
    block = forms.TypedChoiceField(
        label=_("Block of the tip"),
        choices=Block.choices,
        coerce=int,
        error_messages={
            "required": _("Choose a block of the compass."),
            "invalid_choice": _("Choose a block of the compass."),
        },
    )
