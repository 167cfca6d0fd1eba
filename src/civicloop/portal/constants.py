"""The portal's limits and words. Limits are per window of `core.ratelimit` (attempts, seconds)."""

from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import Action

REPORT_LIMIT = (10, 3600)  # reports from one client address per hour
LOOKUP_LIMIT = (120, 3600)  # status pages one client address opens per hour (codes are sequential: no harvesting)
PROOF_LIMIT_CODE = (5, 3600)  # proofs tried for one code per hour (4 phone digits are 10,000 guesses)
PROOF_LIMIT_CLIENT = (20, 3600)  # proofs one client address tries per hour, over any codes

MAX_PHOTOS = 3
PHOTO_MAX_BYTES = 10 * 1024 * 1024  # per photo as sent (files.constants.MAX_BYTES)
DESCRIPTION_MAX = 2000
ADDRESS_MAX = 200
PHONE_MAX = 20

SECRET_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off a screen or a piece of paper
SECRET_LENGTH = 8  # 32^8 ≈ 10^12, against PROOF_LIMIT_CODE tries an hour
PROOF_SECONDS = 1800  # how long a proof holds in the browser's session
PROOF_SESSION_KEY = "portal_proofs"  # {case id: proved until (epoch seconds)}
# The code and secret shown once after a report (never in a URL): a signed, HttpOnly cookie of the page showing
# them, deleted by that page — not the session, whose row would be written and read back for every report.
NEW_REPORT_COOKIE = "portal_new"
NEW_REPORT_SECONDS = 600

# What the public timeline says for each step of a case (cases.constants.Action); steps not named here are not shown
# (triage, supervision, extensions asked or refused, the dispatcher's internal moves). `{unit}` is the lead unit.
PUBLIC_STEPS = {
    Action.REGISTER: _("已受理您的诉求"),
    Action.DISPATCH: _("已交由 {unit} 办理"),
    Action.DECIDE: _("经会商协调，交由 {unit} 办理"),
    Action.ACCEPT: _("{unit} 已签收"),
    Action.RETURN: _("重新分派承办单位"),
    Action.ADD_PROGRESS: _("{unit} 正在办理"),
    Action.APPROVE_EXTENSION: _("办理期限已延长"),
    Action.RESOLVE: _("{unit} 已办结"),
    Action.REPLY: _("已答复"),
    Action.ANSWER: _("已直接答复"),
    Action.MERGED_REPLY: _("已答复（与同类诉求一并办理）"),
    Action.REPLY_UNREACHABLE: _("未能联系到您，已记录办理结果"),
    Action.RATE: _("已收到评价"),
    Action.REOPEN: _("重新办理"),
    Action.ESCALATE: _("提交会商协调"),
    Action.MERGE: _("与同类诉求合并办理"),
    Action.CLOSE: _("已结案"),
    Action.WITHDRAW: _("已撤回"),
}
# The steps that show the answer given to the reporter (the Reply's content, masked) — for a merged case, the answer
# its target got (the event's own note names the target's code, which is not the reporter's to know).
PUBLIC_ANSWERS = (Action.REPLY, Action.ANSWER, Action.MERGED_REPLY)
