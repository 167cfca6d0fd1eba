from django.utils.translation import gettext_lazy as _

from civicloop.core.registry import CivicAppConfig, Nav, PeriodicTask


class RoutingConfig(CivicAppConfig):
    name = "civicloop.routing"
    label = "routing"
    verbose_name = _("派单建议")
    api_prefix = "routing/"
    pages_prefix = "routing/"
    navigation = (Nav("routing:disputes", _("职责争议"), visible="civicloop.routing.permissions.may_see_disputes",
                      more=True),)
    # the suggestions on a case's page at triage and dispatch, for who may dispatch it
    record_panels = ("civicloop.routing.home.record_panel",)
    # each district's model fitted again on its closed cases (nightly by default)
    periodic_tasks = (PeriodicTask("civicloop.routing.tasks.refit_all", every=86400, env="CIVICLOOP_ROUTING_REFIT_EVERY"),)
    # after every app's steps: fitted on all the cases the demo closed (the assessment's, the meetings' … included)
    demo_final_steps = ("civicloop.routing.demo.fit_demo_model",)
    demo_reset_steps = ("civicloop.routing.demo.delete_routing",)
