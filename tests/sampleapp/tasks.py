from django_tasks import task


@task()
def tick() -> int:
    return 1


def year_official(*, year: int, source: str) -> str:
    """A calendar listener: told that `year`'s calendar became official."""
    return f"{year} {source}".strip()
