"""Request bodies over the largest legitimate upload are refused before they are read."""

import io

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import override_settings
from django.urls import reverse

from compass.middleware import request_body_limit
from questionnaire.situation.csv_upload import MAX_UPLOAD_BYTES as FIGURES_CSV_MAX_BYTES

pytestmark = pytest.mark.django_db

RECEIVED = []


class RecordingUploadHandler(FileUploadHandler):
    """Records every chunk of an uploaded file: any chunk means the body was read."""

    def receive_data_chunk(self, raw_data, start):
        RECEIVED.append(len(raw_data))

    def file_complete(self, file_size):
        return None


@pytest.fixture(autouse=True)
def recording_handler(settings):
    RECEIVED.clear()
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler"]
    yield


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test when anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def test_limit_derives_from_the_largest_legitimate_upload(settings):
    largest = max(
        settings.EXPORT_JSON_MAX_BYTES,
        FIGURES_CSV_MAX_BYTES,
        settings.DISTRICTS_FILE_MAX_BYTES,
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
    )
    assert request_body_limit() == largest + settings.REQUEST_BODY_OVERHEAD_BYTES
    settings.EXPORT_JSON_MAX_BYTES = 100 * 1024 * 1024
    assert request_body_limit() == 100 * 1024 * 1024 + settings.REQUEST_BODY_OVERHEAD_BYTES
    settings.REQUEST_BODY_MAX_BYTES = 12345
    assert request_body_limit() == 12345


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_declared_300_mb_body_is_refused_unread_with_a_dutch_413(client, who, request):
    if who == "alice":
        client.force_login(request.getfixturevalue("alice"))
    response = client.generic(
        "POST",
        reverse("login"),
        data=b"x",
        content_type="multipart/form-data; boundary=B",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    html = response.content.decode()
    assert response.status_code == 413
    assert '<html lang="nl">' in html
    assert "Het bestand is te groot" in html
    assert "Er is niets opgeslagen" in html
    assert RECEIVED == []


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_real_multipart_body_just_over_the_limit_is_refused_and_nothing_stored(
    client, settings, who, request
):
    settings.REQUEST_BODY_MAX_BYTES = 64 * 1024
    if who == "alice":
        client.force_login(request.getfixturevalue("alice"))
    upload = io.BytesIO(b"a" * (64 * 1024))
    upload.name = "groot.csv"
    response = client.post(reverse("login"), {"bestand": upload})
    assert response.status_code == 413
    assert RECEIVED == []


def test_body_at_the_limit_passes_on(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 64 * 1024
    upload = io.BytesIO(b"a" * (32 * 1024))
    upload.name = "klein.csv"
    response = client.post(reverse("login"), {"bestand": upload, "username": "x"})
    assert response.status_code == 200  # the login form, with its own errors
    assert sum(RECEIVED) == 32 * 1024


@pytest.mark.parametrize("size, status", [(64 * 1024 + 1, 413), (1000, 200)])
def test_chunked_body_without_length_is_read_bounded(client, settings, size, status):
    settings.REQUEST_BODY_MAX_BYTES = 64 * 1024
    body = b"username=x&password=" + b"y" * (size - 20)
    stream = io.BytesIO(body)
    response = client.generic(
        "POST",
        reverse("login"),
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": stream, "CONTENT_LENGTH": ""},
    )
    assert response.status_code == status
    assert stream.tell() <= 64 * 1024 + 1


def test_invalid_content_length_is_a_400(client):
    response = client.generic(
        "POST", reverse("login"), CONTENT_LENGTH="veel", **{"wsgi.input": UnreadableBody()}
    )
    assert response.status_code == 400


@override_settings(LANGUAGE_CODE="nl")
def test_legitimate_json_import_size_is_not_refused(client, settings):
    response = client.generic(
        "POST",
        reverse("login"),
        CONTENT_LENGTH=str(settings.EXPORT_JSON_MAX_BYTES + 200 * 1024),
        **{"wsgi.input": io.BytesIO(b"")},
    )
    assert response.status_code != 413
