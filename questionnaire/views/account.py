"""The person's own account page: e-mail address (confirmed by a link) and name visibility.

An e-mail address only changes when the link sent to the new address is opened while logged in
to the account: invitations go to an account by its address, so an address nobody confirmed
must never be able to catch them (the Wagtail account page cannot change it either).
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compass import notifications
from compass.models import AccountSettings
from questionnaire.forms import AccountSettingsForm, EmailChangeForm

EMAIL_CHANGE_MAX_AGE = timedelta(days=3)
_SALT = "compass.email-change"


def email_change_token(user, new_email: str) -> str:
    # The current address is part of the token: once the address changed, older links die.
    return signing.dumps({"u": user.pk, "e": new_email, "c": user.email}, salt=_SALT)


def _settings_of(user) -> AccountSettings:
    return AccountSettings.objects.filter(user=user).first() or AccountSettings(user=user)


@require_http_methods(["GET", "POST"])
@login_required
def account(request):
    user = request.user
    email_form = EmailChangeForm(user=user)
    settings_form = AccountSettingsForm(instance=_settings_of(user))
    if request.method == "POST" and request.POST.get("form") == "email":
        email_form = EmailChangeForm(request.POST, user=user)
        if email_form.is_valid():
            new_email = email_form.cleaned_data["email"]
            link = request.build_absolute_uri(
                reverse("questionnaire:account_email", args=[email_change_token(user, new_email)])
            )
            with transaction.atomic():
                notifications.email_change(user, new_email, link, EMAIL_CHANGE_MAX_AGE.days)
            messages.success(
                request,
                _(
                    "We sent a link to %(email)s. Your e-mail address changes once you open it, "
                    "logged in to this account."
                )
                % {"email": new_email},
            )
            return redirect("questionnaire:account")
    elif request.method == "POST":
        settings_form = AccountSettingsForm(request.POST, instance=_settings_of(user))
        if settings_form.is_valid():
            settings_form.save()
            messages.success(request, _("Your settings have been saved."))
            return redirect("questionnaire:account")
    return render(
        request,
        "questionnaire/account.html",
        {"email_form": email_form, "settings_form": settings_form},
    )


@require_GET
@login_required
def confirm_email(request, token):
    user = request.user
    try:
        data = signing.loads(token, salt=_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:
        data = None
    if not data or data.get("u") != user.pk or data.get("c") != user.email:
        return render(request, "questionnaire/account_email_invalid.html", status=404)
    old_email = user.email
    with transaction.atomic():
        user.email = data["e"]
        user.save(update_fields=["email"])
        if old_email:
            notifications.email_changed(user, old_email)
    messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": user.email})
    return redirect("questionnaire:account")
