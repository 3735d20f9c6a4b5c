from django.conf import settings


def absolute_url(path: str) -> str:
    """A site path as the public address that emails, feeds, calendars and the API give out."""
    return settings.SITE_URL + path
