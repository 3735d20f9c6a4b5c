from django_tasks import task

from clustertalks.core.periodic import every

from . import services


@every(hours=1)
@task()
def prune_audit_trail() -> int:
    """The retention sweep (run hourly by one of the workers)."""
    return services.prune()
