"""Password validators whose messages are Dutch.

Django 5.2's MinimumLengthValidator formats its error with `%d`, a message Django's Dutch
catalogue does not translate (yet): this one says it in our own words.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
