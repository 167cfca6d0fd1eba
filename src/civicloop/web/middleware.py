"""Language choice: pages speak zh-Hans unless the person switched (language cookie), whatever the browser says.

The staff of a Chinese district work in Chinese; an English browser should not silently turn the shell English.
The JSON API keeps Django's negotiation (cookie, then Accept-Language), so a client can ask for English errors.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = None
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
