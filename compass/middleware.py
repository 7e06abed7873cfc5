"""Request middleware of the project."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Use the language the user chose with the switch, else Dutch; ignore Accept-Language.

    Municipal staff often have English browsers, yet the app is Dutch first: English appears
    only when someone picks it with the language switch (stored in the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if translation.check_for_language(chosen or "") else None
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
