"""Admin for units, staff accounts (with their roles inline) and people records; phones and ID numbers masked
(`core.admin_personal`)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from civicloop.core.admin_personal import PersonalDataAdminMixin

from .models import Person, Unit, User, UserRole


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "territory", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    raw_id_fields = ("district", "parent", "territory")
    filter_horizontal = ("duty_tags",)
    list_select_related = ("parent", "territory")


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, DjangoUserAdmin):
    personal_fields = ("phone",)
    list_display = ("username", "display_name", "unit", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "unit__kind")
    search_fields = ("username", "display_name", "phone")
    raw_id_fields = ("unit", "district")
    inlines = [UserRoleInline]
    list_select_related = ("unit",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("单位与联系方式"), {"fields": ("display_name", "phone", "unit", "district")}),
    )


@admin.register(Person)
class PersonAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    personal_fields = ("phone", "id_number")
    list_display = ("code", "name", "kind", "unit", "community")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("district", "unit", "community", "user")
    list_select_related = ("unit", "community")
