"""Refuse request parameters that no database can store, before any view reads them."""

from django.http import JsonResponse

from clustertalks.core.views import bad_request

NUL_MESSAGE = "Request addresses and parameters must not contain NUL bytes."


class RejectNullBytesMiddleware:
    """A NUL byte in the path (`/j/%00`) or a query parameter is never legitimate, and
    PostgreSQL refuses it in any text comparison; answer 400 at once instead of letting a view
    fail with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "bad_request", "detail": NUL_MESSAGE, "errors": []}, status=400)
            return bad_request(request)
        return self.get_response(request)
