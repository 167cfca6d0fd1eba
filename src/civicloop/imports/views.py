"""The staff import page: upload form (kind + dry run), result table with row errors, template downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civicloop.core.errors import CivicError, ErrorCode

from .kinds import kind_choices
from .services import import_district_for, import_run, upload_read
from .workbook import template_build


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    import_district_for(request.user)  # refuses (403 page) anyone who may not import
    context = {"kinds": kind_choices(), "kind": request.POST.get("kind") or request.GET.get("kind", ""), "dry_run": True}
    status = 200
    if request.method == "POST":
        context["dry_run"] = bool(request.POST.get("dry_run"))
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise CivicError(ErrorCode.INVALID, _("请选择文件。"))
            context["result"] = import_run(actor=request.user, kind=context["kind"], file_path_or_bytes=upload_read(upload),
                                           filename=upload.name, dry_run=context["dry_run"])
        except CivicError as exc:
            context["error"] = exc
            status = exc.status
    return render(request, "imports/upload.html", context, status=status)


@login_required
def template_download(request, kind: str):
    import_district_for(request.user)
    data = template_build(kind=kind)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="civicloop-{kind}.xlsx"'
    return response
