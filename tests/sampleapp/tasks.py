from django_tasks import task


@task()
def tick() -> int:
    return 1
