"""The offline field app's server side: what the page hands its script, and the service worker's source.

The page is a shell: the team's list and the visit form are drawn in the browser from the field-list JSON
(GET /api/visits/teams/{id}/field-list) and records go to POST /api/visits/visits, through an outbox in IndexedDB
when there is no signal. The strings the script shows are translated here, on the server, and handed to it with
the page (a JSON block), so the page speaks the language it was rendered in, also offline from the cache.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

# The static files the field app needs offline (its shell): what base.html loads, and the app's own script.
SHELL_STATIC = (
    "vendor/bootstrap.min.css", "vendor/bootstrap.bundle.min.js", "vendor/htmx.min.js", "vendor/idb.umd.js",
    "civicloop/civicloop.js", "civicloop/favicon.svg",
    "civicloop/visits/field.css", "civicloop/visits/outbox.js", "civicloop/visits/field.js",
)
WORKER_STATIC = "civicloop/visits/sw.js"


def field_config(actor, teams) -> dict:
    """What the script needs: the teams to choose from, where to read and send, who records (the outbox keeps
    each record with its author, so a record saved under one account is never sent under another)."""
    api_root = reverse("api:api-root")
    return {
        "user": actor.pk,
        "teams": [{"id": t.pk, "name": t.name, "campaign": t.campaign.name} for t in teams],
        "field_list_url": f"{api_root}visits/teams/{{id}}/field-list",
        "visits_url": f"{api_root}visits/visits",
        "login_url": f"{reverse('web:login')}?next={reverse('visits:field')}",
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "sw_url": reverse("visits:sw"),
        "sw_scope": reverse("visits:field"),
    }


def field_strings() -> dict[str, str]:
    """The messages the script writes into the page (placeholders %(name)s, filled by the script)."""
    return {
        "online": _("在线"),
        "offline": _("离线"),
        "offline_ready": _("已可离线使用"),
        "offline_not_ready": _("离线缓存未就绪"),
        "offline_unsupported": _("此浏览器不支持离线使用"),
        "list_updated": _("名单更新于 %(time)s"),
        "list_cached": _("无法联网，显示的是 %(time)s 保存的名单。"),
        "list_failed": _("无法读取走访名单，请联网后重试。"),
        "list_unauthorized": _("登录已失效，请重新登录后再打开名单。"),
        "no_subjects": _("没有符合条件的走访对象。"),
        "subjects_count": _("共 %(n)s 户（家），已走访 %(visited)s"),
        "visited_times": _("已走访 %(n)s 次"),
        "last_visited": _("上次走访 %(date)s"),
        "not_visited": _("未走访"),
        "queued": _("待发送"),
        "sent": _("已发送"),
        "no_community": _("其他"),
        "waiting": _("待发送 %(n)s 条"),
        "nothing_waiting": _("没有待发送的记录。"),
        "attention": _("需要处理 %(n)s 条"),
        "other_account": _("本机还有 %(n)s 条其他账号保存的记录，请用该账号登录后发送。"),
        "syncing": _("正在同步…"),
        "saved_offline": _("已保存到本机，联网后自动发送。"),
        "saved_sending": _("已保存，正在发送…"),
        "sent_ok": _("已发送：%(label)s"),
        "sent_cases": _("已发送：%(label)s，生成工单 %(codes)s"),
        "sync_offline": _("网络不可用，记录保留在本机，联网后自动发送。"),
        "sync_server": _("服务器暂时无法处理，记录保留在本机，稍后自动重试。"),
        "sync_login": _("登录已失效，记录保留在本机。请重新登录后同步。"),
        "sync_csrf": _("安全校验失败，记录保留在本机。请刷新页面后同步。"),
        "login_again": _("重新登录"),
        "retry": _("重试"),
        "discard": _("删除"),
        "discard_confirm": _("删除这条未发送的记录？删除后无法恢复。"),
        "problem_n": _("问题 %(n)s"),
        "remove_problem": _("删除此问题"),
        "follow_up_question": _("上次反映：%(summary)s，是否满意？"),
        "follow_up_resolved": _("%(code)s · %(state)s，%(date)s 办结"),
        "follow_up_open": _("%(code)s · %(state)s"),
        "follow_up_rating": _("该工单正等待评价，回答将记为工单的满意度评价。"),
        "not_answered": _("未回答"),
        "note_placeholder": _("说明（可选）"),
        "missing": _("请填写：%(fields)s"),
        "saved_at": _("保存于 %(time)s"),
        "problems_count": _("%(n)s 个问题"),
        "separator": _("、"),
        "detail": _("%(field)s：%(reason)s"),
    }


def _digest(paths) -> str:
    """A digest of the shell's files: part of the worker's source, so a new release of any of them makes the
    browser install a new worker, which replaces the cached copies."""
    h = hashlib.sha256()
    for path in paths:
        found = finders.find(path)
        h.update(path.encode())
        if found:
            with open(found, "rb") as f:
                h.update(f.read())
    return h.hexdigest()[:16]


def service_worker_source() -> str:
    """The worker's script (static civicloop/visits/sw.js) after one line naming the shell to keep and its
    version: the URLs come from `static()` (so a hashed storage or another STATIC_URL still works)."""
    shell = {
        "version": _digest((*SHELL_STATIC, WORKER_STATIC)),
        "page": reverse("visits:field"),
        "static": [static(p) for p in SHELL_STATIC],
        "field_list": f"{reverse('api:api-root')}visits/teams/",
    }
    with open(finders.find(WORKER_STATIC), encoding="utf-8") as f:
        source = f.read()
    return f"self.CIVICLOOP_SHELL = {json.dumps(shell)};\n{source}"
