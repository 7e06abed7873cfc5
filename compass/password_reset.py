"""Password reset by e-mail: Django's views in our templates, rate limited, one answer for all.

The form answers the same whether or not the address belongs to an account (Django's form only
mails active accounts with a usable password). Requests are limited per address of the visitor
and per e-mail address typed (PASSWORD_RESET_RATE); above the limit the answer is the same too,
only no mail goes out, and the refusal is logged. The mail itself goes through the mail task
queue (compass/mail.py, with its retries): the answer never waits for the mail server, so its
timing does not tell a known address from an unknown one either.
"""

import logging

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.template import loader
from django.urls import reverse_lazy
from django_ratelimit.core import is_ratelimited

from compass.mail import send_soon

logger = logging.getLogger("compass.auth")


def send_password_reset_mail(subject: str, body: str, address: str) -> None:
    """Queue one password-reset mail for a worker (`compass.mail.send_mail_task`)."""
    send_soon(subject, body, [address])


class PasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_password_reset_mail(subject, body, to_email)


def _email_key(group, request):
    return request.POST.get("email", "").strip().lower()[:254]


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        limited = False
        # Count both, so neither limit can be walked around by varying the other.
        for group, key in (("password_reset_ip", "ip"), ("password_reset_email", _email_key)):
            limited |= is_ratelimited(
                request,
                group=group,
                key=key,
                rate=settings.PASSWORD_RESET_RATE,
                method="POST",
                increment=True,
            )
        if limited:
            logger.warning(
                "password reset refused: rate limit address=%s", request.META.get("REMOTE_ADDR")
            )
            # The same answer as a request that was sent: nothing tells what happened.
            return HttpResponseRedirect(self.get_success_url())
        logger.info("password reset requested address=%s", request.META.get("REMOTE_ADDR"))
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        logger.info("password reset done user=%s", form.user.get_username())
        return response
