from .services import site_identity


def brand(request):
    """The site identity on every page (no query: kept per page-cache generation)."""
    identity = site_identity()
    return {"BRAND": identity, "SITE_NAME": identity.name}
