from django.db import DatabaseError

from .services import default_brand, site_identity


def brand(request):
    """The site identity on every page (no query: kept per page-cache generation). An error page
    rendered while the database is down still renders, in the default identity."""
    try:
        identity = site_identity()
    except DatabaseError:
        identity = default_brand()
    return {"BRAND": identity, "SITE_NAME": identity.name}
