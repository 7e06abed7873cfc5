"""Sharing agreements: coordinators ask to join, the participants accept or refuse; leaving.

Joining is a request: a coordinator of every current participant accepts it before anything
is shared (`access.request_join`, `access.approve_join`). Leaving takes effect at once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compass import access
from compass.models import (
    AgreementParticipation,
    JoinApproval,
    JoinRequest,
    Municipality,
    SharingAgreement,
)
from questionnaire.forms import AgreementMunicipalityForm, JoinRequestDecisionForm


def visible_agreements(user):
    """Agreements a member may see: open to their region, or joined by their municipality.

    An agreement without a region is a closed group: only its current participants see it.
    """
    if user.is_superuser:
        queryset = SharingAgreement.objects.all()
    else:
        own = Municipality.objects.filter(memberships__user=user)
        queryset = SharingAgreement.objects.filter(
            Q(region__municipalities__in=own)
            | Q(participations__municipality__in=own, participations__left_at__isnull=True)
        ).distinct()
    return queryset.select_related("region").prefetch_related(
        Prefetch(
            "participations",
            queryset=AgreementParticipation.objects.filter(left_at__isnull=True)
            .select_related("municipality")
            .order_by("municipality__name"),
            to_attr="open_participations",
        ),
        Prefetch(
            "join_requests",
            queryset=JoinRequest.objects.filter(status=JoinRequest.Status.OPEN)
            .select_related("municipality")
            .prefetch_related(
                Prefetch(
                    "approvals",
                    queryset=JoinApproval.objects.select_related("municipality"),
                    to_attr="all_approvals",
                )
            )
            .order_by("created_at"),
            to_attr="open_requests",
        ),
    )


def _managed(user):
    return access.municipalities_for(user, access.MANAGE_TEAM).filter(
        status=Municipality.Status.ACTIVE
    )


@require_GET
@login_required
def agreements(request):
    return _agreements_page(request)


def _agreements_page(request, form=None, failed_pk=None):
    user = request.user
    managed = (
        list(_managed(user).prefetch_related("regions").order_by("name"))
        if not user.is_superuser
        else []
    )
    managed_ids = {m.pk for m in managed}
    own_ids = set(user.memberships.values_list("municipality_id", flat=True))
    items = []
    for agreement in visible_agreements(user).order_by("name"):
        participants = [p.municipality for p in agreement.open_participations]
        participating = {m.pk for m in participants}
        region_members = set()
        if agreement.region_id:
            region_members = {
                m.pk for m in managed if any(r.pk == agreement.region_id for r in m.regions.all())
            }
        requests = []
        for join_request in agreement.open_requests:
            # Shown to the participants and to the municipality that asks, nobody else.
            if not (
                user.is_superuser or own_ids & (participating | {join_request.municipality_id})
            ):
                continue
            approved = {a.municipality_id for a in join_request.all_approvals}
            requests.append(
                {
                    "request": join_request,
                    "approved": [m for m in participants if m.pk in approved],
                    "waiting": [m for m in participants if m.pk not in approved],
                    "can_decide": [
                        m for m in participants if m.pk in managed_ids and m.pk not in approved
                    ],
                    "can_withdraw": join_request.municipality_id in managed_ids,
                }
            )
        requested = {r["request"].municipality_id for r in requests}
        items.append(
            {
                "agreement": agreement,
                "participants": participants,
                "requests": requests,
                "can_leave": [m for m in managed if m.pk in participating],
                "can_join": [
                    m
                    for m in managed
                    if m.pk not in participating
                    and m.pk not in requested
                    and m.pk in region_members
                    and agreement.in_force()
                ],
                "form": form if failed_pk == agreement.pk else None,
            }
        )
    return render(
        request,
        "questionnaire/agreements.html",
        {"items": items, "member": bool(own_ids) or user.is_superuser},
    )


def _visible_agreement(user, pk):
    agreement = visible_agreements(user).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement


def _forbid_members_without_team_rights(user, code) -> None:
    """A member who may not manage the named municipality gets 403 (outsiders a form error)."""
    target = Municipality.objects.filter(code=code).first() if isinstance(code, str) else None
    if target is not None:
        perms = access.perms_on(user, target)
        if perms and access.MANAGE_TEAM not in perms:
            raise PermissionDenied


def _change(request, pk, join: bool):
    user = request.user
    agreement = _visible_agreement(user, pk)
    _forbid_members_without_team_rights(user, request.POST.get("municipality", ""))
    form = AgreementMunicipalityForm(request.POST, municipalities=_managed(user))
    if form.is_valid():
        municipality = form.cleaned_data["municipality"]
        try:
            if join:
                join_request = access.request_join(agreement, municipality, actor=user)
            else:
                access.leave_agreement(agreement, municipality, actor=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not join:
                text = _("%(municipality)s no longer takes part in %(agreement)s.")
            elif join_request.status == JoinRequest.Status.ACCEPTED:
                text = _("%(municipality)s now takes part in %(agreement)s.")
            else:
                text = _(
                    "%(municipality)s has asked to join %(agreement)s. The participants have "
                    "been told; nothing is shared until a coordinator of each of them accepts."
                )
            messages.success(
                request, text % {"municipality": municipality.name, "agreement": agreement.name}
            )
            return redirect("questionnaire:agreements")
    return _agreements_page(request, form=form, failed_pk=agreement.pk)


def _decide(request, pk, decision: str):
    """Accept or refuse (for a participant) or withdraw (for the asker) an open request."""
    user = request.user
    agreement = _visible_agreement(user, pk)
    _forbid_members_without_team_rights(user, request.POST.get("municipality", ""))
    form = JoinRequestDecisionForm(request.POST, municipalities=_managed(user), agreement=agreement)
    if form.is_valid():
        join_request = form.cleaned_data["request"]
        municipality = form.cleaned_data["municipality"]
        names = {"municipality": join_request.municipality.name, "agreement": agreement.name}
        try:
            if decision == "withdraw":
                if municipality.pk != join_request.municipality_id:
                    raise ValidationError(
                        _("Only the municipality that asked can withdraw its request."),
                        code="not_yours",
                    )
                access.withdraw_join(join_request, actor=user)
                text = _("The request of %(municipality)s to join %(agreement)s is withdrawn.")
            elif decision == "refuse":
                access.refuse_join(join_request, municipality, actor=user)
                text = _("The request of %(municipality)s to join %(agreement)s is refused.")
            elif access.approve_join(join_request, municipality, actor=user):
                text = _("%(municipality)s now takes part in %(agreement)s.")
            else:
                text = _(
                    "You accepted the request of %(municipality)s to join %(agreement)s. It "
                    "takes part once every participant has accepted."
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, text % names)
            return redirect("questionnaire:agreements")
    return _agreements_page(request, form=form, failed_pk=agreement.pk)


@require_POST
@login_required
def accept_request(request, pk):
    return _decide(request, pk, "accept")


@require_POST
@login_required
def refuse_request(request, pk):
    return _decide(request, pk, "refuse")


@require_POST
@login_required
def withdraw_request(request, pk):
    return _decide(request, pk, "withdraw")


@require_POST
@login_required
def join(request, pk):
    return _change(request, pk, join=True)


@require_POST
@login_required
def leave(request, pk):
    return _change(request, pk, join=False)
