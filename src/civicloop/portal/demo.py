"""The demo's reset step for the portal: the district's reports (they point at its cases)."""

from .models import PortalReport


def delete_reports(district) -> None:
    PortalReport.objects.filter(district=district).delete()
