"""Background work of the files app: idempotent wrappers around its services."""

from django_tasks import task


@task()
def orphans_purge() -> int:
    """Remove stored files no row names, a day after they were written (`services.attachments_orphans_purge`)."""
    from .services import attachments_orphans_purge

    return attachments_orphans_purge()
