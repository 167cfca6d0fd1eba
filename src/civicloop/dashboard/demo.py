"""The demo's steps for the dashboard. Its rollups are not generated: the periodic refresh (`tasks`) reads the
demo's events like any others once `civicloop serve` runs (or `civicloop rollups` at once)."""

from .services import rollups_delete_district


def delete_rollups(district) -> None:
    """`DashboardConfig.demo_reset_steps`: the district's facts, returns and rollups, before its cases go."""
    rollups_delete_district(district)
