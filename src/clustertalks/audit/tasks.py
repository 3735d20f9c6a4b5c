from django_tasks import task

from . import services


@task()
def prune_audit_trail() -> int:
    """The retention sweep (scheduled hourly by `clustertalks worker`)."""
    return services.prune()
