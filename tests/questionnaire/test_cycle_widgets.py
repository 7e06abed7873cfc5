"""The Python-rendered widgets of the cycle steps write exactly Django's template HTML."""

import re

import pytest
from django import forms

from questionnaire.cycle_forms import fast_selects

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert("x")</script> & \'quote\''


class Sample(forms.Form):
    name = forms.CharField(max_length=20, help_text="help")
    size = forms.IntegerField(min_value=0, required=False)
    due = forms.DateField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    done = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("", "---"), ("a", HOSTILE), ("b", "B")])
    many = forms.MultipleChoiceField(
        choices=[("1", HOSTILE), ("2", "Twee")], widget=forms.CheckboxSelectMultiple
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": HOSTILE, "size": "-3", "notes": HOSTILE, "done": "on", "kind": "a", "many": ["1"]},
        {"name": "", "size": "x", "due": "31-02-2026", "url": "nope", "kind": "zz"},
    ],
)
def test_every_widget_renders_the_same_html_as_the_django_templates(data):
    expected = Sample(data, prefix="p")
    fast = Sample(data, prefix="p")
    fast_selects(fast)
    # The custom Select/Checkbox classes keep the names the renderer styles them by.
    assert type(fast.fields["kind"].widget).__name__ == "Select"
    assert type(fast.fields["name"].widget) is not forms.TextInput
    for name in ("name", "size", "due", "url", "notes", "done"):
        assert str(fast[name]) == str(expected[name]), name
    # Selects and checkbox lists: the same markup; the templates only add indentation.
    for name in ("kind", "many"):
        assert squeeze(str(fast[name])) == squeeze(str(expected[name])), name
    assert "<script>" not in str(fast["name"]) + str(fast["kind"]) + str(fast["many"])


def squeeze(html):
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", re.sub(r"\s+", " ", html)))
