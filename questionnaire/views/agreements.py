"""Sharing agreements: coordinators join or leave for their municipality."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compass import access
from compass.models import AgreementParticipation, Municipality, SharingAgreement
from questionnaire.forms import AgreementMunicipalityForm


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
        )
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
    items = []
    for agreement in visible_agreements(user).order_by("name"):
        participating = {p.municipality_id for p in agreement.open_participations}
        region_members = set()
        if agreement.region_id:
            region_members = {
                m.pk for m in managed if any(r.pk == agreement.region_id for r in m.regions.all())
            }
        items.append(
            {
                "agreement": agreement,
                "participants": [p.municipality for p in agreement.open_participations],
                "can_leave": [m for m in managed if m.pk in participating],
                "can_join": [
                    m
                    for m in managed
                    if m.pk not in participating and m.pk in region_members and agreement.in_force()
                ],
                "form": form if failed_pk == agreement.pk else None,
            }
        )
    return render(
        request,
        "questionnaire/agreements.html",
        {"items": items, "member": user.memberships.exists() or user.is_superuser},
    )


def _change(request, pk, join: bool):
    user = request.user
    agreement = visible_agreements(user).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    code = request.POST.get("municipality", "")
    target = Municipality.objects.filter(code=code).first() if isinstance(code, str) else None
    if target is not None:
        perms = access.perms_on(user, target)
        if perms and access.MANAGE_TEAM not in perms:
            raise PermissionDenied
    form = AgreementMunicipalityForm(request.POST, municipalities=_managed(user))
    if form.is_valid():
        municipality = form.cleaned_data["municipality"]
        try:
            if join:
                access.join_agreement(agreement, municipality, actor=user)
            else:
                access.leave_agreement(agreement, municipality, actor=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = (
                _("%(municipality)s now takes part in %(agreement)s.")
                if join
                else _("%(municipality)s no longer takes part in %(agreement)s.")
            )
            messages.success(
                request, text % {"municipality": municipality.name, "agreement": agreement.name}
            )
            return redirect("questionnaire:agreements")
    return _agreements_page(request, form=form, failed_pk=agreement.pk)


@require_POST
@login_required
def join(request, pk):
    return _change(request, pk, join=True)


@require_POST
@login_required
def leave(request, pk):
    return _change(request, pk, join=False)
