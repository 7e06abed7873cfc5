"""The import form: a JSON export of a cycle and the year it becomes in this municipality."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from compass.models.cycles import FIRST_YEAR, LAST_YEAR
from exports import portable


class ImportCycleForm(forms.Form):
    # The year comes first: a browser sends fields in this order, so the year still arrives
    # when the upload handler stops reading a file that is too large.
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("The year of the new annual cycle; this municipality may not have it yet."),
    )

    file = forms.FileField(
        label=_("JSON file"),
        help_text=_(
            "A file made with 'Download JSON' on the downloads page of an annual cycle "
            "(at most %(size)s)."
        ),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.parsed = None
        size = filesizeformat(portable.max_bytes())
        self.fields["file"].help_text = self.fields["file"].help_text % {"size": size}
        self.fields["file"].widget.attrs["accept"] = ".json,application/json"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        try:
            self.parsed = portable.read_upload(upload)
        except portable.ImportRefused as refused:
            raise ValidationError(refused.messages) from None
        return upload

    def full_clean(self):
        super().full_clean()
        if self.too_large and self.is_bound:
            # The upload handler stopped reading the file: say why instead of "required".
            self.errors.pop("file", None)
            self.cleaned_data.pop("file", None)
            self.add_error("file", portable.too_large_message())


class SizeLimitUploadHandler(FileUploadHandler):
    """Stop reading an upload as soon as it passes the limit, before it is stored whole."""

    def __init__(self, request=None, limit=None):
        super().__init__(request)
        self.limit = limit if limit is not None else portable.max_bytes()
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
