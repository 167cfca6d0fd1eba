"""The demo's steps for the dashboard: its facts and rollups folded from the demo's case events at the end of the
generation (`rollups_load_district`: one ordered pass, bulk writes), so the overview is current when the demo is
ready; the periodic refresh (`tasks`) then reads only what happens afterwards."""

from .services import rollups_delete_district, rollups_load_district


def generate_rollups(ctx) -> None:
    """`DashboardConfig.demo_final_steps`: after every app's cases (visits, inspections …)."""
    read = rollups_load_district(ctx.district)
    ctx.log(f"  rollups: {read:,} case events folded")


def delete_rollups(district) -> None:
    """`DashboardConfig.demo_reset_steps`: the district's facts, returns and rollups, before its cases go."""
    rollups_delete_district(district)
