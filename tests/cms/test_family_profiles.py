"""Issue 23: content editors maintain sets of family profiles; shares must add up to 100 %."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.family_profiles import FamilyProfileSet, HelpKind

pytestmark = pytest.mark.django_db


def url(model, action, *args):
    return reverse(f"wagtailsnippets_cms_{model._meta.model_name}:{action}", args=args)


def set_data(shares, kind):
    return nested_form_data(
        {
            "code": "gezinsprofielen-test",
            "name": "Gezinsprofielen",
            "version": "1",
            "description": "",
            "source": "Onderzoek",
            "source_year": "2021",
            "profiles": inline_formset(
                [
                    {
                        "name": f"Profiel {n}",
                        "description": "",
                        "problems": "Partnergeweld",
                        "share": share,
                        "needs": streamfield(
                            [("need", {"help_kind": kind.pk, "evidence_levels": []})]
                        ),
                    }
                    for n, share in enumerate(shares)
                ]
            ),
            "action-publish": "action-publish",
        }
    )


@pytest.mark.parametrize("shares", [["60", "30.5"], ["60", "40.01"], []])
def test_a_set_whose_shares_are_not_100_is_refused_in_dutch(client, erin, shares):
    kind = HelpKind.objects.create(code="schuldhulp", name="Schuldhulp")
    client.force_login(erin)
    response = client.post(
        url(FamilyProfileSet, "add"), set_data(shares, kind), HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 200
    html = response.content.decode()
    expected = "minstens één profiel" if not shares else "niet tot 100 %"
    assert expected in html
    assert not FamilyProfileSet.objects.exists()


def test_an_editor_publishes_a_set_whose_shares_add_up(client, erin):
    kind = HelpKind.objects.create(code="schuldhulp", name="Schuldhulp")
    client.force_login(erin)
    response = client.post(url(FamilyProfileSet, "add"), set_data(["60", "40"], kind))
    assert response.status_code == 302, response.context["form"].errors
    made = FamilyProfileSet.objects.get()
    assert made.live and made.profiles.count() == 2
    assert made.profiles.first().need_list()[0][0] == kind
