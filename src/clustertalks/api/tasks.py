from django_tasks import task

from . import webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = webhooks.attempt(delivery_id)
    return delivery.status if delivery else "skipped"



@task()
def fetch_slides(talk_id: int, url: str) -> str:
    """Download the slides an import names by address (a PDF, within the size limit, with a
    timeout), store them as the talk's attachment and extract their text for search."""
    from .slides import fetch_slides as fetch

    return fetch(talk_id, url)
