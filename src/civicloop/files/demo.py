"""The demo's reset step for attachments: the district's rows (they point at its users); the stored files no row
names any more are removed by the daily `files.tasks.orphans_purge`."""

from .models import Attachment


def delete_attachments(district) -> None:
    Attachment.objects.filter(district=district).delete()
