from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from civicloop.core.admin_personal import PersonalDataAdminMixin

from .models import Case, CaseEvent, Category, Meeting, Notification, Supervision
from .services import case_reporter_reveal
from .services.reporter import REPORTER_FIELDS


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "limit_normal", "limit_urgent", "limit_critical", "default_lead", "active")
    list_filter = ("active", "parent")
    search_fields = ("code", "name")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Cases change only through services (events!): the admin is for looking."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(PersonalDataAdminMixin, ReadOnlyAdmin):
    personal_fields = REPORTER_FIELDS
    list_display = ("tracking_code", "state", "channel", "category", "lead_unit", "deadline", "created_at")
    list_filter = ("state", "channel", "urgency", "layer")
    search_fields = ("tracking_code", "external_id")

    def reveal(self, request, obj, *, reason_code, reason):
        # the staff page's service and rule (cases.permissions.may_unmask): admin access adds no right to see
        clear = case_reporter_reveal(actor=request.user, case_id=obj.pk, reason_code=reason_code, reason=reason)
        return dict(zip(REPORTER_FIELDS, (clear["name"], clear["phone"], clear["id_number"]), strict=True))


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "seq", "action", "actor", "actor_unit", "at")
    list_filter = ("action",)


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "opened_at", "replied_at", "lapsed_at")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("date", "title", "body", "state")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "unit", "user", "kind", "shown_text", "read_at")
    list_select_related = ("unit", "user", "case")  # the text names the case's tracking code

    @admin.display(description=_("通知"))
    def shown_text(self, obj):
        return obj.text  # in the administrator's language
