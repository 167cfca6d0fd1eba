"""The 12345 desk's pages: import work orders (the imports framework's run), the category mapping, the export of
replies. Thin: parse, one service or selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicloop.cases.forms import category_choices
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.pages import done, form_validated
from civicloop.imports.services import import_run as imports_run
from civicloop.imports.services import upload_read

from . import selectors, services
from .constants import HotlineImportKind
from .exports import replies_workbook
from .inputs import MappingIn, PeriodIn


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    """Upload a hotline file (checked whole; nothing written when a row is bad), the last result, the export."""
    selectors.desk_district_id(request.user)
    context = {"dry_run": False, "kind": HotlineImportKind.ORDERS.value}
    status = 200
    if request.method == "POST":
        context["dry_run"] = bool(request.POST.get("dry_run"))
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise CivicError(ErrorCode.INVALID, _("请选择文件。"))
            context["result"] = imports_run(actor=request.user, kind=HotlineImportKind.ORDERS,
                                            file_path_or_bytes=upload_read(upload), filename=upload.name,
                                            dry_run=context["dry_run"])
        except CivicError as exc:
            context["error"] = exc
            status = exc.status
    context["mapping_count"] = selectors.mappings_for(request.user).count()
    return render(request, "hotline/index.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mappings(request):
    if request.method == "POST":
        payload = form_validated(MappingIn, {k: request.POST.get(k, "") for k in ("hotline_category", "category_id")})
        services.mapping_set(actor=request.user, **payload.dict())
        return done(request, reverse("hotline:mappings"), _("已保存分类对照。"))
    rows = list(selectors.mappings_for(request.user))
    return render(request, "hotline/mappings.html", {"mappings": rows, "categories": category_choices()})


@login_required
@require_POST
def mapping_delete(request, pk: int):
    services.mapping_delete(actor=request.user, mapping_id=pk)
    return done(request, reverse("hotline:mappings"), _("已删除分类对照。"))


@login_required
def export(request):
    """The replies of a period as .xlsx (work-order number, result, reply, replied at, satisfaction)."""
    period = form_validated(PeriodIn, {k: request.GET.get(k, "") for k in ("start", "end")})
    if period.end < period.start or (period.end - period.start).days > 366:
        raise CivicError(ErrorCode.INVALID, _("时间段无效（结束日期不早于开始日期，最长一年）。"))
    data = replies_workbook(selectors.replies_in(request.user, period.start, period.end))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="12345-replies-{period.start}-{period.end}.xlsx"'
    return response
