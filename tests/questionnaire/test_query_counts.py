"""The start page and the team page use a number of queries that does not grow with the data.

Measured first with the small cast, then again with all 342 municipalities of the real CBS file,
1,000 more users with memberships (60 of them in Utrecht's team, 20 extra municipalities for
alice), a long team log and every municipality of the region in the agreement.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compass import access
from compass.cbs import areas as cbs
from compass.models import Membership, Municipality, TeamEvent

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "editor", "reader"]
BOUND = {"start": 8, "team": 10, "agreements": 9}  # measured: 6, 8, 7


def count_queries(client, url):
    client.get(url)  # warm the content-type cache, as any running server has it warm
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(alice, gemeente_a, regio_utrecht, users=1000):
    cbs.load_paths([cbs.GEBIEDEN_2024])
    municipalities = list(Municipality.objects.order_by("code"))
    assert len(municipalities) == 342
    user_model = get_user_model()
    user_model.objects.bulk_create(
        [
            user_model(
                username=f"massa{n}",
                email=f"massa{n}@example.org",
                first_name="Massa",
                last_name=f"Gebruiker {n}",
            )
            for n in range(users)
        ]
    )
    people = list(user_model.objects.filter(username__startswith="massa").order_by("pk"))
    others = [m for m in municipalities if m.pk != gemeente_a.pk]
    memberships = [
        Membership(user=person, municipality=gemeente_a if n < 60 else others[n % len(others)],
                   role=ROLES[n % 3])
        for n, person in enumerate(people)
    ]  # fmt: skip
    memberships += [
        Membership(user=alice, municipality=municipality, role="reader")
        for municipality in others[:20]
    ]
    Membership.objects.bulk_create(memberships)
    groups = {m.pk: access.role_groups(m) for m in {ms.municipality for ms in memberships}}
    through = user_model.groups.through
    through.objects.bulk_create(
        [
            through(user_id=ms.user_id, group_id=groups[ms.municipality.pk][ms.role].pk)
            for ms in memberships
        ]
    )
    TeamEvent.objects.bulk_create(
        [
            TeamEvent(municipality=gemeente_a, actor=alice, action="member_added", subject=f"{n}")
            for n in range(200)
        ]
    )
    for municipality in Municipality.objects.filter(regions__code="VT20"):
        if not regio_utrecht.participations.filter(municipality=municipality).exists():
            access.join_agreement(regio_utrecht, municipality)
    assert get_user_model().objects.count() > 1000


def test_start_and_team_pages_use_constant_queries(
    client_for, alice, dave, bob, gemeente_a, regio_utrecht, django_assert_max_num_queries
):
    client = client_for(alice)
    pages = {
        "start": reverse("questionnaire:start"),
        "team": reverse("questionnaire:team", args=[gemeente_a.code]),
        "agreements": reverse("questionnaire:agreements"),
    }
    small = {name: count_queries(client, url) for name, url in pages.items()}

    grow(alice, gemeente_a, regio_utrecht)
    large = {name: count_queries(client, url) for name, url in pages.items()}

    print(f"queries with the small cast: {small}; with 342 municipalities and 1,000 users: {large}")
    assert large == small, (small, large)
    for name, url in pages.items():
        with django_assert_max_num_queries(BOUND[name]):
            client.get(url)
    html = client.get(pages["team"]).content.decode()
    assert html.count('name="membership"') == 2 * 63  # change-role and remove form per member
    start = client.get(pages["start"]).content.decode()
    assert start.count('<th scope="row"') == 21
