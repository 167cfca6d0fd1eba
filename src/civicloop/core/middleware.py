"""Render a CivicError raised by a page once: a message for htmx/normal pages, an error page otherwise."""

from django.shortcuts import render

from .errors import CivicError, number_too_large


class CivicErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):  # a number beyond 64 bits in a query string (SQLite refuses it)
            exception = number_too_large()
        if not isinstance(exception, CivicError):
            return None
        if request.path.startswith("/api/"):
            return None  # the API renders its own (civicloop.core.api.install_error_handlers)
        template = "web/error_fragment.html" if request.headers.get("HX-Request") else "web/error.html"
        response = render(request, template, {"error": exception}, status=exception.status)
        if request.headers.get("HX-Request"):
            # let htmx swap the error into the page's message area even on 4xx
            response["HX-Retarget"] = "#messages"
            response["HX-Reswap"] = "innerHTML"
        return response
