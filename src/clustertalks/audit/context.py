"""The request being served, so that a change recorded deep in a service knows who made it
and through what (back office, API, public site). Outside a request: the command line or the
worker."""

import contextvars

current_request = contextvars.ContextVar("clustertalks_audit_request", default=None)


class AuditContextMiddleware:
    """Place after AuthenticationMiddleware. The user is read when an entry is written, so an
    API token's owner (set by the API's authentication, later than this) is the one recorded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
