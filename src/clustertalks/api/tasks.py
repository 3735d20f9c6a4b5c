from django_tasks import task

from . import webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = webhooks.attempt(delivery_id)
    return delivery.status if delivery else "skipped"

