"""Token authentication for the write endpoints: ``Authorization: Bearer ct_…``."""

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from . import services


class WriteToken(HttpBearer):
    """A usable token with write scope, held by an active organiser (staff member).

    No or a wrong token → 401; a valid token without write rights → 403.
    """

    openapi_description = "A personal API token with write scope: `Authorization: Bearer ct_…`"

    def authenticate(self, request, token: str):
        api_token = services.authenticate(token)
        if api_token is None:
            return None
        if not services.can_write(api_token):
            raise HttpError(403, _("This token has read scope only, or its owner is not an organiser."))
        request.user = api_token.user
        return api_token
