"""Who sees the cases app's navigation entries: the same predicates the services enforce."""

from civicloop.orgs.scope import scope_for

from .services.intake import REGISTRAR_ROLES


def may_register(user) -> bool:
    """The register page is offered to whoever `case_register` accepts from it: a registrar role in a district."""
    scope = scope_for(user)
    return scope.has_role(*REGISTRAR_ROLES) and scope.district_id is not None
