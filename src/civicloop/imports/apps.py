from django.utils.translation import gettext_lazy as _

from civicloop.core.registry import CivicAppConfig


class ImportsConfig(CivicAppConfig):
    name = "civicloop.imports"
    label = "imports"
    verbose_name = _("数据导入")
    api_prefix = "imports/"
    pages_prefix = "imports/"
    # The kinds this app brings (another app adds its own kinds the same way, from its own package).
    import_kinds = (
        "civicloop.imports.kinds.territory.TerritorySpec",
        "civicloop.imports.kinds.households.HouseholdSpec",
        "civicloop.imports.kinds.enterprises.EnterpriseSpec",
        "civicloop.imports.kinds.orgs.UnitSpec",
        "civicloop.imports.kinds.orgs.StaffSpec",
        "civicloop.imports.kinds.orgs.PersonSpec",
    )
