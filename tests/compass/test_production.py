"""Production serving: the manifest static storage builds, error pages need nothing that may
be broken, and the error preview address is off unless switched on."""

import json
import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import RequestFactory
from django.views import defaults

from compass.staticfiles import CompressedManifestStorage

PRODUCTION_STORAGES = {
    **django_settings.STORAGES,
    "staticfiles": {"BACKEND": "compass.staticfiles.CompressedManifestStorage"},
}


def _collect(settings, tmp_path, dirs):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = dirs
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = PRODUCTION_STORAGES  # the setting_changed signal resets the storage
    call_command("collectstatic", interactive=False, verbosity=0)
    return json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]


def test_collectstatic_with_the_manifest_storage_writes_a_manifest(settings, tmp_path):
    """The built NL Design System bundle, the fonts and our own CSS and JavaScript are hashed
    and compressed; the manifest names what pages use."""
    own = [django_settings.BASE_DIR / app / "static" for app in ("compass", "cms")]
    paths = _collect(settings, tmp_path, [*django_settings.STATICFILES_DIRS, *own])
    for used in (
        "nlds/nlds.css",
        "fonts/noto-sans/noto-sans-latin-400-normal.woff2",
        "compass/css/site.css",
        "compass/js/site.js",
        "compass/favicon.svg",
    ):
        assert paths[used] != used and (tmp_path / "static" / paths[used]).exists()
    for compressed in ("nlds/nlds.css", "compass/css/site.css", "compass/favicon.svg"):
        assert (tmp_path / "static" / (paths[compressed] + ".gz")).exists()
    # Only the bundle of the NL Design System is shipped, not the whole library.
    assert not any(path.startswith("nlds/utrecht-") for path in paths)


def test_a_third_party_file_may_refer_to_a_missing_file(settings, tmp_path):
    """An npm package's CSS that names a file the package lacks (as @utrecht/design-tokens
    5.0.1 does with pijltje.svg) keeps the reference instead of failing the build."""
    third = tmp_path / "third"
    (third / "nlds").mkdir(parents=True)
    (third / "nlds" / "icons.css").write_text('a { background: url("./pijltje.svg"); }')
    paths = _collect(settings, tmp_path, [third])
    assert 'url("./pijltje.svg")' in (tmp_path / "static" / paths["nlds/icons.css"]).read_text()


def test_our_own_css_with_a_missing_reference_still_fails_the_build(settings, tmp_path):
    own = tmp_path / "own"
    (own / "compass").mkdir(parents=True)
    (own / "compass" / "broken.css").write_text('a { background: url("missing.svg"); }')
    with pytest.raises(ValueError, match="missing.svg"):
        _collect(settings, tmp_path, [own])


def test_third_party_prefixes_cover_every_npm_folder():
    for entry in django_settings.STATICFILES_DIRS:
        if not isinstance(entry, tuple):  # the bundle built from npm packages: nlds/ only
            assert entry == django_settings.BASE_DIR / "build" / "static"
            assert {p.name for p in entry.iterdir()} <= {"nlds"}
            continue
        prefix, path = entry
        assert str(path).startswith(str(django_settings.NODE_MODULES))
        assert f"{prefix}/".startswith(CompressedManifestStorage.third_party_prefixes)


def test_hashed_static_files_are_cached_for_a_year_and_served_compressed(settings, tmp_path):
    from whitenoise.middleware import WhiteNoiseMiddleware

    paths = _collect(settings, tmp_path, [django_settings.BASE_DIR / "build" / "static"])
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    whitenoise = WhiteNoiseMiddleware(lambda request: None)
    static_file = whitenoise.files["/static/" + paths["nlds/nlds.css"]]
    response = static_file.get_response("GET", {"HTTP_ACCEPT_ENCODING": "gzip, br"})
    headers = dict(response.headers)
    max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 60 * 60 and "immutable" in headers["Cache-Control"]
    assert headers["Content-Encoding"] in ("gzip", "br")


@pytest.mark.parametrize("language_cookie", [None, "en"])
def test_500_page_is_dutch_and_needs_no_database_or_context(rf, language_cookie):
    # No django_db mark: any database access raises, so the page renders without one.
    request = rf.get("/")
    if language_cookie:
        request.COOKIES["django_language"] = language_cookie
    response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="nl">' in html
    assert "Er ging iets mis" in html
    assert "{%" not in html and "static" not in html


@pytest.mark.django_db
def test_404_page_is_dutch_without_a_logged_in_user():
    request = RequestFactory().get("/bestaat-niet/")  # no session, no user: before middleware
    response = defaults.page_not_found(request, Exception("test"))
    html = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html


@pytest.mark.django_db
def test_error_preview_does_not_exist_by_default(client):
    assert django_settings.ERROR_PREVIEW_PAGES is False
    response = client.get("/fout-voorbeeld/500/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


@pytest.mark.django_db
def test_error_preview_answers_500_with_the_dutch_page_when_switched_on(client, settings):
    settings.ERROR_PREVIEW_PAGES = True
    client.raise_request_exception = False
    response = client.get("/fout-voorbeeld/500/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
