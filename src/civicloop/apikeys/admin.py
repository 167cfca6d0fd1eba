"""Keys in the admin: read only. A key is created on the staff page (/apikeys/, where it is shown once) and
revoked there or with the action here — both through the services, which write the audit rows."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError

from .models import ApiKey
from .services import api_key_revoke


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "district", "rate_limit", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix")
    exclude = ("key_hash",)
    readonly_fields = ("name", "prefix", "district", "scopes", "acting_user", "rate_limit", "created_by",
                       "created_at", "revoked_at", "revoked_by", "last_used_at")
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a key stays as the record of who reached the system with it; revoke instead

    @admin.action(description=_("吊销所选接口密钥"))
    def revoke(self, request, queryset):
        from civicloop.orgs.auth import client_ip

        for row in queryset.filter(revoked_at__isnull=True):
            try:
                api_key_revoke(actor=request.user, key_id=row.pk, ip=client_ip(request))
            except CivicError as e:
                self.message_user(request, f"{row.name}: {e.message}", messages.ERROR)
