"""The cast every test can use (see ../shared/design/CONVENTIONS.md).

- alice: coordinator of Gemeente A
- bob: reader in Gemeente A
- carol: coordinator of Gemeente B, no access to A
- erin: content editor (Wagtail permissions only, never municipal data)
- anonymous: the `client` fixture without login
"""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", first_name="Alice", last_name="de Vries")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", first_name="Bob", last_name="Bakker")


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", first_name="Carol", last_name="Visser")


@pytest.fixture
def erin(db):
    user = UserFactory(username="erin", first_name="Erin", last_name="Smit")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def client_for(db):
    """Return a function that logs the given user into a fresh test client."""
    from django.test import Client

    def login(user):
        other = Client()
        other.force_login(user)
        return other

    return login
