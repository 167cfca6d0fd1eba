"""Admin for configuration of places (the tree, tags, households, zones, park buildings, enterprises).

Personal data (a household's head, an enterprise's contact) is masked: `core.admin_personal`.
Big foreign keys are raw ids: a select with 180,000 households or thousands of buildings would not render.
"""

from django.contrib import admin

from civicloop.core.admin_personal import PersonalDataAdminMixin

from .constants import PlaceLevel
from .models import Enterprise, Household, ParkBuilding, Place, Tag, Zone
from .services import HEAD_FIELDS, household_head_reveal, place_fields_under


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "abbr")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    exclude = ("district", "street", "community")
    readonly_fields = ("path",)

    def get_readonly_fields(self, request, obj=None):
        # Moving a place would have to rewrite its subtree's paths: not a configuration edit.
        return ("path", "code", "level", "parent") if obj else ("path",)

    def save_model(self, request, obj, form, change):
        if not change:
            # The tree rule (path, ancestors) lives in places.services; apply it to admin-created places too.
            fields = place_fields_under(obj.parent, code=obj.code, level=obj.level)
            for name, value in fields.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)
        if not change and obj.level == PlaceLevel.DISTRICT and obj.district_id is None:
            obj.district = obj
            obj.save(update_fields=["district"])


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "target", "key_group")
    list_filter = ("target", "key_group")
    search_fields = ("code", "name")


@admin.register(Household)
class HouseholdAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    personal_fields = HEAD_FIELDS
    list_display = ("code", "address", "room", "members", "community")
    search_fields = ("code", "address")
    raw_id_fields = ("district", "street", "community", "building")
    filter_horizontal = ("tags",)
    list_select_related = ("community",)

    def reveal(self, request, obj, *, reason_code, reason):
        # the staff page's service and rule (household_may_unmask), the household's code as the logged id
        head = household_head_reveal(actor=request.user, code=obj.code, reason_code=reason_code, reason=reason)
        return dict(zip(HEAD_FIELDS, (head["name"], head["phone"], head["id_number"]), strict=True))


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district")
    search_fields = ("code", "name")
    raw_id_fields = ("district",)


@admin.register(ParkBuilding)
class ParkBuildingAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "zone", "street")
    list_filter = ("zone",)
    search_fields = ("code", "name")
    raw_id_fields = ("district", "street")
    list_select_related = ("zone", "street")


@admin.register(Enterprise)
class EnterpriseAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    personal_fields = ("contact_name", "contact_phone")
    list_display = ("credit_code", "name", "street", "industry", "size")
    list_filter = ("size",)
    search_fields = ("credit_code", "name")
    raw_id_fields = ("district", "street", "community", "park_building")
    filter_horizontal = ("tags",)
    list_select_related = ("street",)
