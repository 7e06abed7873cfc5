"""factory_boy factories shared by the whole suite."""

import datetime

import factory
from django.contrib.auth import get_user_model

TEST_PASSWORD = "test-password-123"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MunicipalityFactory(factory.django.DjangoModelFactory):
    """A municipality; pass a real CBS code to get its real 2024 data (see `real_municipality`)."""

    class Meta:
        model = "compass.Municipality"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    province = "Utrecht"
    province_code = "PV26"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.Region"
        django_get_or_create = ("code",)

    kind = "VT"
    code = factory.Sequence(lambda n: f"VT{90 + n}")
    name = factory.Sequence(lambda n: f"Testregio {n}")


class SharingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.SharingAgreement"

    name = factory.Sequence(lambda n: f"Samenwerking {n}")
    start_date = datetime.date(2025, 1, 1)


def real_municipality(code: str):
    """Create the municipality with this code from the in-repo CBS 2024 file, regions included."""
    from compass.cbs import areas as cbs
    from compass.models import Municipality

    row = next(r for r in _cbs_rows() if r.code == code)
    cbs.load([cbs.CBSFile(edition=2024, rows=[row])])
    return Municipality.objects.get(code=code)


_ROWS = []


def _cbs_rows():
    if not _ROWS:
        from compass.cbs import areas as cbs

        _ROWS.extend(cbs.read_file(cbs.GEBIEDEN_2024).rows)
    return _ROWS


def member(user, municipality, role):
    """Give the user a role in the municipality through the one access service."""
    from compass import access

    return access.grant(user, municipality, role)
