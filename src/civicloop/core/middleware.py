"""Render a refusal once: the input layer's (before any view runs) and a CivicError raised by a page — a message for
htmx requests, an error page otherwise; on /api/ the API's error body."""

from django.http import JsonResponse
from django.shortcuts import render

from .errors import CivicError, number_too_large
from .input import api_status, request_refusal
from .registry import input_refusal_renderer


def render_refusal(request, exc: CivicError):
    """`exc` as a page: the error page, or (htmx) a fragment swapped into the page's message area even on 4xx."""
    template = "web/error_fragment.html" if request.headers.get("HX-Request") else "web/error.html"
    response = render(request, template, {"error": exc}, status=exc.status)
    if request.headers.get("HX-Request"):
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
    return response


class CivicInputMiddleware:
    """The input layer for every page and endpoint (civicloop.core.input): a request it refuses reaches no view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = request_refusal(request)
        if refusal is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(refusal.as_dict(), status=api_status(refusal))
        renderer = input_refusal_renderer(request.path)  # a machine endpoint's own error format (open311)
        if renderer is not None:
            return renderer(request, refusal)
        return render_refusal(request, refusal)


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
        return render_refusal(request, exception)
