"""Municipalities, regions, team memberships, sharing agreements and their audit trail.

Access to a municipality's data is never read from these models directly by a view: roles
and agreements are turned into django-guardian object permissions by `compass.access`.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

CBS_CODE_PATTERN = r"^GM\d{4}$"
validate_cbs_code = RegexValidator(
    CBS_CODE_PATTERN,
    _("Enter a CBS municipality code: GM followed by four digits, for example GM0344."),
    code="invalid_cbs_code",
)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    EDITOR = "editor", _("editor")
    READER = "reader", _("reader")


class Municipality(models.Model):
    """A Dutch municipality (gemeente) as CBS lists it, active or merged into another."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        MERGED = "merged", _("merged")

    code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[validate_cbs_code]
    )
    name = models.CharField(_("name"), max_length=100)
    province_code = models.CharField(_("province code"), max_length=4, blank=True)
    province = models.CharField(_("province"), max_length=60, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # The 2024 "Gebieden in Nederland" table has no age breakdown; `import_youth_population`
    # loads it from a table with age groups (70072ned), saying how (fields below).
    youth_population = models.PositiveIntegerField(
        _("youth population 0-17"), null=True, blank=True
    )
    # Where the youth population comes from (see compass/cbs/youth.py): the year it counts,
    # the CBS table, and whether 0-17 was estimated from five-year age groups.
    youth_population_year = models.PositiveSmallIntegerField(
        _("youth population: year"), null=True, blank=True
    )
    youth_population_source = models.CharField(
        _("youth population: source"), max_length=200, blank=True
    )
    youth_population_estimated = models.BooleanField(
        _("youth population estimated from age groups"),
        default=False,
        help_text=_("Ages 0-15 plus three fifths of ages 15-20, when the source has no 0-17."),
    )
    # People aged 16 and over, the population of the domestic-violence rates (issue 19 H3),
    # loaded with the youth population and from the same source.
    adult_population = models.PositiveIntegerField(
        _("population aged 16 and over"), null=True, blank=True
    )
    adult_population_year = models.PositiveSmallIntegerField(
        _("population 16+: year"), null=True, blank=True
    )
    adult_population_source = models.CharField(
        _("population 16+: source"), max_length=200, blank=True
    )
    adult_population_estimated = models.BooleanField(
        _("population 16+ estimated from age groups"),
        default=False,
        help_text=_("All inhabitants minus ages 0-15 minus one fifth of ages 15-20."),
    )
    size_class = models.PositiveSmallIntegerField(_("size class"), null=True, blank=True)
    size_class_label = models.CharField(_("size class description"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    last_seen_edition = models.PositiveSmallIntegerField(
        _("last CBS edition listing it"), null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        permissions = [
            ("view_cycle", _("Can view the cycles of the municipality")),
            ("change_cycle", _("Can change the cycles of the municipality")),
            ("manage_team", _("Can manage the team of the municipality")),
            ("submit_assessment", _("Can submit the self-assessment of the municipality")),
            ("export_cycle", _("Can export the cycles of the municipality")),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MunicipalityUserObjectPermission(UserObjectPermissionBase):
    """Guardian's per-user object permission with a direct foreign key (fast at scale)."""

    content_object = models.ForeignKey(Municipality, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class MunicipalityGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's per-group object permission with a direct foreign key (fast at scale)."""

    content_object = models.ForeignKey(Municipality, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


class Region(models.Model):
    """A CBS region that groups municipalities: Veilig Thuis, safety or youth region."""

    class Kind(models.TextChoices):
        VEILIG_THUIS = "VT", _("Veilig Thuis region")
        VEILIGHEIDSREGIO = "VR", _("safety region")
        JEUGDREGIO = "JZ", _("youth region")

    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("member municipalities"), related_name="regions", blank=True
    )
    # The centrumgemeente of a Veilig Thuis region (vrouwenopvang/beschermd wonen; Movisie lists
    # 35): not in the CBS files, so it is entered by hand (issue 19 item 9).
    centre_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("centre municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="centre_of",
        help_text=_("The centrumgemeente of the region (Veilig Thuis and women's shelter)."),
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class RegionMembership(models.Model):
    """A municipality's membership of a region in one year, as a CBS "Gebieden in Nederland"
    edition of that year lists it (issue 19 M7). Regions change: Veilig Thuis had 26 regions in
    2023 and 25 in 2024, so figures and benchmarks of a year use that year's membership
    (``compass.regions``); ``Region.municipalities`` holds the newest edition's."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="region_memberships",
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        default_permissions = ()
        ordering = ["year", "region", "municipality"]
        verbose_name = _("region membership")
        verbose_name_plural = _("region memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "municipality", "year"], name="one_membership_per_region_year"
            )
        ]

    def __str__(self):
        return f"{self.region_id} {self.municipality_id} {self.year}"


class Membership(models.Model):
    """A user's role in one municipality's team."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    # A district team member (issue 22): an editor or reader limited to one district's cycles
    # (compass.access: no municipal permission, only this district's cycles). Empty: the
    # whole municipality.
    district = models.ForeignKey(
        "compass.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text=_("Limit this member to the cycles of one district."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["municipality__name", "user__last_name", "user__first_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="one_membership_per_municipality"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.user_id and not may_hold_municipal_role(self.user):
            raise ValidationError(
                {"user": _("Staff, administrators and content editors cannot join a team.")},
                code="not_for_staff",
            )
        if self.district_id:
            if self.role == Role.COORDINATOR:
                raise ValidationError(
                    {"district": _("A coordinator sees the whole municipality: leave this empty.")},
                    code="coordinator_not_in_district",
                )
            if self.municipality_id and self.district.municipality_id != self.municipality_id:
                raise ValidationError(
                    {"district": _("The district must lie in this municipality.")},
                    code="district_elsewhere",
                )


class SharingAgreement(models.Model):
    """A named group of municipalities, usually one region, that read each other's cycles."""

    name = models.CharField(_("name"), max_length=150)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        help_text=_("Only municipalities of this region can join; empty: any municipality."),
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        through="AgreementParticipation",
        related_name="sharing_agreements",
        verbose_name=_("participants"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("sharing agreement")
        verbose_name_plural = _("sharing agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def in_force(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class AgreementParticipation(models.Model):
    """One municipality's participation in an agreement, from joining until leaving."""

    agreement = models.ForeignKey(
        SharingAgreement, on_delete=models.CASCADE, related_name="participations"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="participations"
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    left_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "municipality__name", "joined_at"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "municipality"],
                condition=Q(left_at__isnull=True),
                name="one_open_participation",
            )
        ]

    def __str__(self):
        return f"{self.municipality} in {self.agreement}"


def may_hold_municipal_role(user) -> bool:
    """Whether this account may be a member of a municipal team.

    Staff, superusers and content editors (anyone who can open the Wagtail admin) never hold a
    municipal role: content editors must never see municipal data, and a superuser already
    reaches everything through the admin, so a role would only blur the team list.
    """
    if user is None or user.is_staff or user.is_superuser:
        return False
    return not user.has_perm("wagtailadmin.access_admin")


def _invitation_key() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An invitation to join a team, sent by e-mail; bound to the address it was sent to.

    Only the account whose (confirmed) e-mail address is this address can accept it, or the
    person who creates an account through the link. A withdrawn invitation stays stored, so
    the hourly limit on invitations counts it.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    key = models.CharField(max_length=64, unique=True, default=_invitation_key, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.municipality}"


class JoinRequest(models.Model):
    """A municipality's request to join an agreement; it joins once every participant accepted.

    Until then nothing is shared: the permissions are granted by `compass.access` only when
    a coordinator of every current participant has accepted (`JoinApproval`).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the participants")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    agreement = models.ForeignKey(
        SharingAgreement, on_delete=models.CASCADE, related_name="join_requests"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="join_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "municipality"],
                condition=Q(status="open"),
                name="one_open_join_request",
            )
        ]

    def __str__(self):
        return f"{self.municipality} → {self.agreement} ({self.get_status_display()})"


class JoinApproval(models.Model):
    """One participant's acceptance of a request to join, by one of its coordinators."""

    request = models.ForeignKey(JoinRequest, on_delete=models.CASCADE, related_name="approvals")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acceptance of a request to join")
        verbose_name_plural = _("acceptances of requests to join")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "municipality"], name="one_approval_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.municipality} ✓ {self.request}"


class AccountSettings(models.Model):
    """A person's own choices: for now only whether partners see their name."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_settings"
    )
    visible_to_partners = models.BooleanField(
        _("show my name to partner municipalities"),
        default=False,
        help_text=_(
            "Off: people of other municipalities in a sharing agreement see the name of your "
            "municipality instead of your name."
        ),
    )

    class Meta:
        verbose_name = _("account settings")
        verbose_name_plural = _("account settings")

    def __str__(self):
        return str(self.user)


class TeamEvent(models.Model):
    """One logged change to a team or to the agreements of a municipality: who, what, when."""

    class Action(models.TextChoices):
        MEMBER_ADDED = "member_added", _("added")
        MEMBER_INVITED = "member_invited", _("invited")
        INVITATION_ACCEPTED = "invitation_accepted", _("accepted the invitation")
        INVITATION_WITHDRAWN = "invitation_withdrawn", _("invitation withdrawn")
        ROLE_CHANGED = "role_changed", _("role changed")
        MEMBER_REMOVED = "member_removed", _("removed")
        AGREEMENT_JOINED = "agreement_joined", _("joined a sharing agreement")
        AGREEMENT_LEFT = "agreement_left", _("left a sharing agreement")
        AGREEMENT_REQUESTED = "agreement_requested", _("asked to join a sharing agreement")
        AGREEMENT_REQUEST_WITHDRAWN = "agreement_withdrawn", _("withdrew a request to join")
        AGREEMENT_APPROVED = "agreement_approved", _("accepted a request to join")
        AGREEMENT_REFUSED = "agreement_refused", _("refused a request to join")
        PARTNER_JOINED = "agreement_partner_joined", _("a partner joined the agreement")
        PARTNER_LEFT = "agreement_partner_left", _("a partner left the agreement")
        DISTRICT_CHANGED = "district_changed", _("district limit changed")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="team_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    # A text label instead of a foreign key: the log keeps naming a member after removal.
    subject = models.CharField(max_length=200, blank=True)
    old_role = models.CharField(max_length=12, choices=Role.choices, blank=True)
    new_role = models.CharField(max_length=12, choices=Role.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("team event")
        verbose_name_plural = _("team events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject}"
