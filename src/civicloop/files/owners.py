"""Who may see an attachment: the rule of the app that owns the object it belongs to.

An app declares its rules on its AppConfig (`core.registry.CivicAppConfig.attachment_owners`):
`{"cases.case": "civicloop.cases.attachments.may_see"}` — dotted paths of `f(request, attachment) -> bool` (the
owner is `attachment.owner_id`; the row also says who uploaded it and whether its EXIF was kept). Several
apps may declare rules for one kind (the cases app for staff, the portal for the reporter who proved it is them):
a viewer may see the file when any rule says yes. A kind nobody declared is seen by nobody, so a file can never be
served for want of a rule.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from civicloop.core.registry import civic_apps


def owner_rules(owner_kind: str) -> list:
    return [import_string(path) for config in civic_apps()
            for kind, path in dict(config.attachment_owners).items() if kind == owner_kind]


def may_see(request, attachment) -> bool:
    return any(rule(request, attachment) for rule in owner_rules(attachment.owner_kind))


def known_kind(owner_kind: str) -> bool:
    return bool(owner_rules(owner_kind))
