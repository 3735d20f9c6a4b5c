from django.db import DatabaseError

from .services import Identities, default_brand, identities


def brand(request):
    """The site identity on every page (no query: kept per page-cache generation), and the
    version of the identity stylesheet. An error page rendered while the database is down still
    renders, in the default identity."""
    try:
        known = identities()
    except DatabaseError:
        known = Identities(site=default_brand())
    return {"BRAND": known.site, "SITE_NAME": known.site.name, "IDENTITY_CSS_VERSION": known.version}
