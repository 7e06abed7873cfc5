"""Forms of the annual cycle: starting a cycle and the items of each step.

Items that point at other items of the same cycle (a result's ambition, an offering's target
groups) get plain choice fields filled with the ids of this cycle only, built once per request:
so a form can never point at another municipality's data, and rendering a hundred rows costs no
extra queries.
"""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet
from django.utils import formats
from django.utils.choices import BaseChoiceIterator, BlankChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from compass import parts
from compass.models.cycles import FIRST_YEAR

MAX_ROWS = parts.MAX_ROWS


class StartCycleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)
    copy_forward = forms.TypedChoiceField(
        label=_("How do you want to start?"),
        choices=[
            ("0", _("Start empty")),
            ("1", _("Copy forward from the previous cycle")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
        help_text=_(
            "Copying carries over ambitions, results, target groups, offering and open "
            "improvement actions; figures and outcomes are not copied."
        ),
    )


class SharedChoices(BaseChoiceIterator):
    """The (id, label) choices of one link, built once per request and shared by every row.

    Django normalises a plain list of choices again for every field and widget it is given to
    (three times per row); on the aanbod step of a cycle with a hundred offerings and 68
    results that was a fifth of the page's function calls (profiled, benchmarks/results.md). A
    choice iterator is taken as it is, and the escaped labels are made once for all rows.
    """

    def __init__(self, choices, blank: bool = False):
        self.choices = ([("", "---------")] if blank else []) + list(choices)
        self._escaped = None
        self._with_blank = None

    def __copy__(self):
        return self  # never changed in place: every row's field and widget may share it

    def __deepcopy__(self, memo):
        return self

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __bool__(self):
        return bool(self.choices)

    @property
    def with_blank(self) -> "SharedChoices":
        """The same choices after an empty one (a reference that may be left open)."""
        if self._with_blank is None:
            self._with_blank = SharedChoices(self.choices, blank=True)
        return self._with_blank

    @property
    def escaped(self) -> list[tuple[str, str, str]]:
        """(str(key), escaped key, escaped label) of every choice, made once."""
        if self._escaped is None:
            self._escaped = [(str(k), escape(k), escape(label)) for k, label in self.choices]
        return self._escaped


class FrozenChoices(BaseChoiceIterator):
    """A form class's own choices (a model field's: kinds, answers, evidence levels), shared.

    Django deep-copies every field's choices for every form it makes: for a step of a hundred
    rows that was most of the time spent building the forms (profiled, benchmarks/results.md).
    The choices of a form class never change in place (a form that needs others assigns new
    ones), so every copy of the field can share them. Groups (an optgroup) stay as they are.
    """

    def __init__(self, choices):
        self.choices = list(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __bool__(self):
        return bool(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def freeze_choices(form_class) -> None:
    """Let every form of `form_class` share its fields' choices instead of copying them."""
    for field in form_class.base_fields.values():
        choices = getattr(field, "_choices", None)
        # A list, or Django's lazy iterator of a model field's choices after a blank one (its
        # labels stay lazy translations, so the page's language still applies).
        if isinstance(choices, list | tuple | BlankChoiceIterator):
            field.choices = FrozenChoices(choices)


def _escaped_choices(choices) -> list[tuple]:
    """(str(key), escaped key, escaped label) of every choice; a group of choices (an optgroup)
    is (None, escaped group label, its own escaped choices). Shared choices are never grouped."""
    if isinstance(choices, SharedChoices):
        return choices.escaped
    return [
        (None, escape(k), _escaped_choices(label))
        if isinstance(label, list | tuple)
        else (str(k), escape(k), escape(label))
        for k, label in choices
    ]


def attributes(attrs: dict) -> str:
    """HTML attributes in their given order, as Django's attrs.html template writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class Select(forms.Select):
    """A select rendered in Python, named Select so the form renderer styles it as one.

    A step can hold a hundred rows with a hundred options each; rendering every option
    through its own template took seconds.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        selected = set(self.format_value(value))

        def option(text, key, label) -> str:
            if text is None:  # a group (the evidence level's verdicts and non-verdicts)
                return (
                    f'<optgroup label="{key}">{"".join(option(*item) for item in label)}</optgroup>'
                )
            return (
                f'<option value="{key}"{" selected" if text in selected else ""}>{label}</option>'
            )

        options = "".join(option(*item) for item in _escaped_choices(self.choices))
        return mark_safe(f"<select{attributes(final)}>{options}</select>")  # noqa: S308 - escaped


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes rendered in Python, for the same reason as Select above."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        base_id = escape(final.pop("id", f"id_{name}"))
        checked = set(self.format_value(value))
        rest, name = attributes(final), escape(name)
        boxes = "".join(
            f'<div><label for="{base_id}_{index}"><input type="checkbox" name="{name}" '
            f'value="{key}"{rest} id="{base_id}_{index}"'
            f"{' checked' if text in checked else ''}> {label}</label></div>"
            for index, (text, key, label) in enumerate(_escaped_choices(self.choices))
        )
        return mark_safe(f'<div id="{base_id}">{boxes}</div>')  # noqa: S308 - escaped


class DateInput(forms.DateInput):
    """A browser date picker (`type="date"`), whose value is always ISO: 2028-12-31.

    A date input shows and sends ISO dates whatever the page's language; filled with the
    Dutch display format (31-12-2028) it looks empty and sends nothing, so saving the form
    again erased the date. A stored draft or a kept POST may still hold a date typed in a
    language's own format: it is shown as ISO too.
    """

    input_type = "date"
    ISO = "%Y-%m-%d"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own name
        super().__init__(attrs, format=format or self.ISO)

    def format_value(self, value):
        if isinstance(value, str) and value.strip():
            for fmt in formats.get_format("DATE_INPUT_FORMATS"):
                try:
                    return datetime.strptime(value.strip(), fmt).date().strftime(self.ISO)
                except ValueError:
                    continue
            return value
        return super().format_value(value)


class PythonRendered:
    """Render an <input> or <textarea> in Python, exactly as Django's widget templates do.

    Mixed in front of the widget's own class (keeping its name, so the form renderer still
    knows its kind): a step with a hundred rows has over a thousand fields, and a template
    render per widget was most of the page's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        rest = attributes(widget["attrs"])
        if isinstance(self, forms.Textarea):
            text = escape(widget["value"]) if widget["value"] else ""
            return mark_safe(f'<textarea name="{escape(name)}"{rest}>\n{text}</textarea>')  # noqa: S308
        shown = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return mark_safe(  # noqa: S308 - every part is escaped
            f'<input type="{escape(widget["type"])}" name="{escape(name)}"{shown}{rest}>'
        )


_PYTHON_RENDERED: dict[type, type] = {}


def _python_rendered(widget_class: type) -> type:
    if widget_class not in _PYTHON_RENDERED:
        _PYTHON_RENDERED[widget_class] = type(
            widget_class.__name__, (PythonRendered, widget_class), {}
        )
    return _PYTHON_RENDERED[widget_class]


FAST_INPUTS = (
    DateInput,
    forms.TextInput,
    forms.NumberInput,
    forms.DateInput,
    forms.EmailInput,
    forms.URLInput,
    forms.Textarea,
    forms.CheckboxInput,
)


def fast_selects(form) -> None:
    """Swap the form's widgets for the Python-rendered ones above (same HTML, no templates)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            widget = Select(attrs=field.widget.attrs)
            widget.choices = field.widget.choices
            widget.is_required = field.widget.is_required
            field.widget = widget
        elif type(field.widget) is forms.CheckboxSelectMultiple:
            widget = CheckboxSelectMultiple(attrs=field.widget.attrs)
            widget.choices = field.widget.choices
            field.widget = widget
        elif type(field.widget) in FAST_INPUTS:
            # The form's fields are its own deep copies, so the class can change in place.
            field.widget.__class__ = _python_rendered(type(field.widget))


def localize_decimals(form) -> None:
    """Accept a Dutch decimal comma (4,3) and show decimals the Dutch way."""
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField):
            field.localize = True
            field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            field.widget.is_localized = True


def _lf(value):
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def normalise_newlines(form) -> None:
    """Read line breaks as a plain newline, as stored (browsers send CR LF from a text area)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            field.to_python = lambda value, parse=field.to_python: _lf(parse(value))


def plain_fields(key: str) -> list[str]:
    """The model fields of a part the form edits directly (links become id choices)."""
    return [f.name for f in parts.get(key).plain_fields]


def links_of(key: str) -> tuple[dict, dict, list[str]]:
    """(references, multi_references, field_order) of a part's form, read from the registry."""
    part = parts.get(key)
    references = {
        f.name: ("indicators" if f.kind == parts.INDICATOR else f.ref, f.required)
        for f in part.fields
        if f.kind in (parts.REFERENCE, parts.INDICATOR)
    }
    multi = {f.name: f.ref for f in part.fields if f.kind == parts.REFERENCES}
    return references, multi, part.field_names


def _shared(choices) -> SharedChoices:
    return choices if isinstance(choices, SharedChoices) else SharedChoices(choices)


class CycleItemForm(forms.ModelForm):
    """A row of a step: references to other items of the cycle are id choices.

    The fields, their order and the links come from the part's declaration (compass.parts);
    the rules are the model's (validators and clean(), run by the ModelForm with the row's
    cycle set), so the step refuses what every other entry path refuses.
    """

    # form field -> (choices key, required); the model field is `<name>` (a foreign key)
    references: dict[str, tuple[str, bool]] = {}
    # form field -> choices key; the model field is a many-to-many field of the same name
    multi_references: dict[str, str] = {}

    def __init__(self, *args, cycle=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        if cycle is not None:
            # The model's rules that depend on the cycle year read it from here (no query).
            self.instance.cycle = cycle
        choices = choices or {}
        meta = self._meta.model._meta
        for name, (key, required) in self.references.items():
            self.fields[name] = forms.TypedChoiceField(
                label=meta.get_field(name).verbose_name.capitalize(),
                choices=_shared(choices.get(key, [])).with_blank,
                coerce=int,
                empty_value=None,
                required=required,
            )
            if self.instance.pk:
                self.initial[name] = getattr(self.instance, f"{name}_id")
        for name, key in self.multi_references.items():
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=meta.get_field(name).verbose_name.capitalize(),
                choices=_shared(choices.get(key, [])),
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if self.instance.pk:
                # Prefetched by the step, so no query per row.
                self.initial[name] = [item.pk for item in getattr(self.instance, name).all()]
        order = getattr(self, "field_order", None)
        if order:
            self.order_fields(order)
        localize_decimals(self)
        normalise_newlines(self)
        fast_selects(self)

    def apply_references(self, obj) -> None:
        for name in self.references:
            setattr(obj, f"{name}_id", self.cleaned_data.get(name))

    def save_references(self, obj) -> None:
        for name in self.multi_references:
            getattr(obj, name).set(self.cleaned_data.get(name) or [])


class RowIdField(forms.ModelChoiceField):
    """The hidden id of a saved row: one of the rows the formset loaded for this cycle.

    Django's model formset accepts the id of any row of the model here (another
    municipality's included) and only ignores it when saving; this field refuses it, and
    looks the id up among the rows already loaded, so a hundred rows cost no query each.
    """

    def __init__(self, formset, **kwargs):
        self.formset = formset
        super().__init__(formset.get_queryset(), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            key = int(str(value))
        except (TypeError, ValueError):
            key = None
        row = self.formset._existing_object(key) if key is not None else None
        if row is None:
            raise ValidationError(FOREIGN_ROW, code="invalid_choice")
        return row


FOREIGN_ROW = _(
    "This row is not part of this annual cycle (it may have been removed). Open the step "
    "again and enter the row anew."
)


class CycleFormSet(BaseModelFormSet):
    """Rows of one kind in a step; `unique_reference` may hold at most one row per item.

    Only rows of this cycle: an id that is not one of them (another municipality's row, a
    removed row, garbage) is an error of the form, and never loads that row.
    """

    unique_reference: str | None = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk = self.model._meta.pk.name
        old = form.fields[pk]
        form.fields[pk] = RowIdField(
            self, initial=old.initial, required=old.required, widget=forms.HiddenInput
        )

    def clean(self):
        super().clean()
        # A row marked for removal is not validated by Django: refuse a foreign id there too.
        for form in self.initial_forms:
            if form.instance.pk is None and self._should_delete_form(form):
                raise ValidationError(FOREIGN_ROW, code="invalid_choice")
        if not self.unique_reference:
            return
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form in self.deleted_forms:
                continue
            value = form.cleaned_data.get(self.unique_reference)
            if value is None:
                continue
            if value in seen:
                form.add_error(
                    self.unique_reference,
                    _("This offering already has a row here: use one row per offering."),
                )
            seen.add(value)


class FigureForm(CycleItemForm):
    references, multi_references, field_order = links_of("figures")

    class Meta:
        model = parts.get("figures").model
        fields = plain_fields("figures")
        help_texts = {"source": _("E.g. 'Veilig Thuis, own registration' or 'CBS'.")}


class ReadingForm(forms.ModelForm):
    regional_vision_url = forms.URLField(
        label=_("Link to the regional vision"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_(
            "The regiovisie of your Veilig Thuis region, e.g. on the centrumgemeente's site."
        ),
    )

    def __init__(self, *args, cycle=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle is not None:
            self.instance.cycle = cycle
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
        self.order_fields(parts.get("reading").field_names)
        normalise_newlines(self)

    class Meta:
        model = parts.get("reading").model
        fields = plain_fields("reading")
        help_texts = {
            "participants": _(
                "Who sat at the table (block 0): partners, professionals, young people, parents."
            )
        }


class AmbitionForm(CycleItemForm):
    references, multi_references, field_order = links_of("ambitions")

    class Meta:
        model = parts.get("ambitions").model
        fields = plain_fields("ambitions")
        help_texts = {
            "text": _("About children's lives, e.g. 'Every child grows up in a safe home'.")
        }


class ResultForm(CycleItemForm):
    references, multi_references, field_order = links_of("results")

    class Meta:
        model = parts.get("results").model
        fields = plain_fields("results")
        help_texts = {"unit": _("E.g. '%' or 'number'. With '%' values lie between 0 and 100.")}


class ResultValueForm(CycleItemForm):
    references, multi_references, field_order = links_of("values")

    class Meta:
        model = parts.get("values").model
        fields = plain_fields("values")


class TargetGroupForm(CycleItemForm):
    references, multi_references, field_order = links_of("target_groups")

    class Meta:
        model = parts.get("target_groups").model
        fields = plain_fields("target_groups")


class OfferingForm(CycleItemForm):
    references, multi_references, field_order = links_of("offerings")
    databank_url = forms.URLField(
        label=_("Link to the databank"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = parts.get("offerings").model
        fields = plain_fields("offerings")
        widgets = {"valid_until": DateInput()}


class TheoryOfChangeForm(forms.ModelForm):
    def __init__(self, *args, cycle=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle is not None:
            self.instance.cycle = cycle
        self.fields["story"].widget.attrs["rows"] = 5
        normalise_newlines(self)

    class Meta:
        model = parts.get("theory_of_change").model
        fields = plain_fields("theory_of_change")


class PurchasingForm(forms.ModelForm):
    """The purchasing check's inputs: the profile set (a published one) and the families."""

    def __init__(self, *args, cycle=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle is not None:
            self.instance.cycle = cycle
        choices = choices or {}
        self.fields["profile_set"] = forms.ChoiceField(
            label=self._meta.model._meta.get_field("profile_set").verbose_name.capitalize(),
            choices=[("", _("The newest published set"))] + list(choices.get("profile_sets", [])),
            required=False,
        )
        fast_selects(self)

    class Meta:
        model = parts.get("purchasing").model
        fields = plain_fields("purchasing")


class HelpProvisionForm(CycleItemForm):
    """An offering linked to a kind of help; the kinds are the content's (by code)."""

    references, multi_references, field_order = links_of("help_provisions")

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, choices=choices, **kwargs)
        self.fields["help_kind"] = forms.ChoiceField(
            label=self._meta.model._meta.get_field("help_kind").verbose_name.capitalize(),
            choices=[("", "---------")] + list((choices or {}).get("help_kinds", [])),
        )
        self.order_fields(self.field_order)
        fast_selects(self)

    class Meta:
        model = parts.get("help_provisions").model
        fields = plain_fields("help_provisions")


class QualityForm(CycleItemForm):
    references, multi_references, field_order = links_of("quality")

    class Meta:
        model = parts.get("quality").model
        fields = plain_fields("quality")
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class OutcomeForm(CycleItemForm):
    references, multi_references, field_order = links_of("outcomes")

    class Meta:
        model = parts.get("outcomes").model
        fields = plain_fields("outcomes")
        widgets = {
            "improvement_suggestions": forms.Textarea(attrs={"rows": 2}),
            "story": forms.Textarea(attrs={"rows": 3}),
        }


class ActionForm(CycleItemForm):
    references, multi_references, field_order = links_of("actions")

    class Meta:
        model = parts.get("actions").model
        fields = plain_fields("actions")
        widgets = {"due": DateInput()}


# The form of each part, by registry key (questionnaire.wizard builds its steps from these).
FORMS = {
    "figures": FigureForm,
    "reading": ReadingForm,
    "ambitions": AmbitionForm,
    "results": ResultForm,
    "values": ResultValueForm,
    "target_groups": TargetGroupForm,
    "offerings": OfferingForm,
    "theory_of_change": TheoryOfChangeForm,
    "purchasing": PurchasingForm,
    "help_provisions": HelpProvisionForm,
    "quality": QualityForm,
    "outcomes": OutcomeForm,
    "actions": ActionForm,
}

for _form_class in FORMS.values():
    freeze_choices(_form_class)
