"""factory_boy factories shared by the whole suite."""

import datetime
from decimal import Decimal

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


# --- A cycle and every part of it -------------------------------------------------------------
# Each factory makes a valid row (model `full_clean` passes, tests/test_factories.py); a part
# made without a cycle gets a new one, a part of a part (a result value, a quality check) shares
# its parent's cycle.


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.Cycle"

    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2026
    status = "active"
    policy_start_year = factory.SelfAttribute("year")
    policy_end_year = factory.LazyAttribute(lambda cycle: cycle.year + 3)  # four years


class StepProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.StepProgress"
        django_get_or_create = ("cycle", "step")

    cycle = factory.SubFactory(CycleFactory)
    step = "situatie"
    status = "in_progress"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cms.Indicator"
        django_get_or_create = ("code",)

    code = "vt-meldingen"
    name = "Meldingen Veilig Thuis"
    unit = "aantal"
    direction = "lower"


class SituationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.SituationFigure"

    cycle = factory.SubFactory(CycleFactory)
    label = factory.Sequence(lambda n: f"Cijfer {n}")
    period = "2025"
    value = Decimal("4.15")
    source = "Politie"


class SituationReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.SituationReading"

    cycle = factory.SubFactory(CycleFactory)
    recognise = "Ja, herkenbaar."


class AmbitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.Ambition"

    cycle = factory.SubFactory(CycleFactory)
    kind = "reduce"
    text = factory.Sequence(lambda n: f"Ambitie {n}: ieder kind groeit veilig op")


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.Result"

    ambition = factory.SubFactory(AmbitionFactory)
    cycle = factory.SelfAttribute("ambition.cycle")
    type = "process"
    text = factory.Sequence(lambda n: f"Resultaat {n}")


class ResultValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.ResultValue"

    result = factory.SubFactory(ResultFactory)
    cycle = factory.SelfAttribute("result.cycle")
    year = 2025
    value = Decimal("11.00")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.TargetGroup"

    cycle = factory.SubFactory(CycleFactory)
    name = factory.Sequence(lambda n: f"Doelgroep {n}")


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.Offering"
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    name = factory.Sequence(lambda n: f"Aanbod {n}")
    kind = "prevention"

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.target_groups.set(extracted)

    @factory.post_generation
    def results(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.results.set(extracted)


class QualityCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.QualityCheck"

    offering = factory.SubFactory(OfferingFactory)
    cycle = factory.SelfAttribute("offering.cycle")
    well_founded = "yes"
    trained = "partly"
    registered = "no"
    supervised = "unknown"
    guidelines = "yes"


class OutcomeMeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.OutcomeMeasurement"

    offering = factory.SubFactory(OfferingFactory)
    cycle = factory.SelfAttribute("offering.cycle")


class ImprovementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.ImprovementAction"

    cycle = factory.SubFactory(CycleFactory)
    what = factory.Sequence(lambda n: f"Verbeteractie {n}")
    who = "GGD"
    due = datetime.date(2026, 9, 1)
    decision = "continue"


# --- Family profiles and the purchasing check (issue 23) ------------------------------------


class HelpKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cms.HelpKind"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"hulp-{n}")
    name = factory.LazyAttribute(lambda kind: kind.code.capitalize())


def profile_set(profiles, code="testset", is_example=False, publish=True):
    """A set of family profiles: profiles are (name, share, [(help kind code, [levels])])."""
    from cms.family_profiles import FamilyProfile, FamilyProfileSet

    made = FamilyProfileSet(
        code=code, name=f"Set {code}", source="Testbron", source_year=2025, is_example=is_example
    )
    made.profiles = [
        FamilyProfile(
            name=name,
            problems=f"Problemen van {name}",
            share=Decimal(str(share)),
            sort_order=order,
            needs=[
                (
                    "need",
                    {
                        "help_kind": HelpKindFactory(code=kind),
                        "evidence_levels": list(levels),
                    },
                )
                for kind, levels in needs
            ],
        )
        for order, (name, share, needs) in enumerate(profiles)
    ]
    made.save()
    if publish:
        made.save_revision().publish()
    return made


class PurchasingCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.PurchasingCheck"

    cycle = factory.SubFactory(CycleFactory)
    expected_families = 100


class HelpProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compass.HelpProvision"

    cycle = factory.SelfAttribute("offering.cycle")
    offering = factory.SubFactory(OfferingFactory)
    help_kind = factory.LazyAttribute(lambda _p: HelpKindFactory().code)
