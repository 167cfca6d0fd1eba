"""The JSON API: one NinjaAPI, one router per app (from the registry), CivicError rendered in one place.

Import this only after `django.setup()` (urls.py does): it asks the registry for every app's router, and no
app's module imports it — the shared pieces are in `civicloop.core.api`.
"""

from django.utils.translation import gettext_lazy as _
from ninja.security import django_auth

from civicloop.core import registry
from civicloop.core.api import CivicNinjaAPI, JsonBodyParser, install_error_handlers

api = CivicNinjaAPI(
    title="civicloop API",
    version="1",
    description=str(_("民情闭环 JSON API。所有错误返回 {code, message, details}，code 稳定。请求体只接受 JSON"
                      "（上传文件除外），任何文本不得含 NUL 字符。")),
    auth=django_auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonBodyParser(),
)
install_error_handlers(api)
for prefix, router in registry.api_routers():
    api.add_router(f"/{prefix}", router)
