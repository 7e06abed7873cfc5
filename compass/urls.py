"""Project URLs: our own pages first, the Wagtail site as the catch-all at /."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from compass import password_reset, two_factor, views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("healthz/queue/", views.healthz_queue, name="healthz_queue"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The language switch of every page: a GET form without a per-visitor token (views.py).
    path("taal/", views.switch_language, name="switch_language"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by e-mail, rate limited (compass/password_reset.py).
    path(
        "accounts/password/reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The Wagtail admin's own reset has no rate limit: its links lead to ours.
    path(
        "cms-admin/password_reset/",
        RedirectView.as_view(url=reverse_lazy("password_reset")),
        name="wagtail_password_reset_redirect",
    ),
    path(
        "cms-admin/password_reset/<path:rest>",
        RedirectView.as_view(url=reverse_lazy("password_reset")),
    ),
    # Two-factor authentication (compass/two_factor.py).
    path("accounts/code/", two_factor.VerifyView.as_view(), name="two_factor_verify"),
    path("mijn-account/tweestapsverificatie/", two_factor.setup, name="two_factor_setup"),
    # Exists only when ERROR_PREVIEW_PAGES is on (compass/views.py), else a 404.
    path("fout-voorbeeld/500/", views.error_preview, name="error_preview"),
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include("exports.urls"))]
urlpatterns += [path("", include("questionnaire.urls"))]
urlpatterns += [path("", include(wagtail_urls))]
