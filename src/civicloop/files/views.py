"""The one way to a stored file: `serve`, after the owner's rule. Never rendered as a page: a fixed, safe content
type, nosniff, a sandboxing CSP, a download name, and no caching outside the viewer's browser."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from .constants import FileKind
from .selectors import attachment_get_for
from .storage import path_of

SAFE_TYPES = {"image/jpeg", "image/png", "application/pdf"}


@require_GET
def serve(request, key: str):
    attachment = attachment_get_for(request, key)
    try:
        handle = open(path_of(attachment.storage_name), "rb")  # FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    content_type = attachment.content_type if attachment.content_type in SAFE_TYPES else "application/octet-stream"
    inline = attachment.kind == FileKind.IMAGE and content_type.startswith("image/")
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    return response
