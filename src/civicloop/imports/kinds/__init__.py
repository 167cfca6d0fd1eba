"""The kinds of import, one module per family; KINDS maps the kind name to its spec."""

from .enterprises import EnterpriseSpec
from .households import HouseholdSpec
from .orgs import PersonSpec, StaffSpec, UnitSpec
from .territory import TerritorySpec

KINDS = {spec.kind: spec for spec in (TerritorySpec(), HouseholdSpec(), EnterpriseSpec(), UnitSpec(), StaffSpec(), PersonSpec())}
