"""Every API answer is JSON, errors too: ``{"code": ..., "detail": ..., "errors": [...]}``."""

import logging

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    ValidationError,
)

logger = logging.getLogger(__name__)


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Schema):
    code: str
    detail: str
    errors: list[FieldError] = []


CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid", 500: "server_error",
}


def error_response(status: int, detail: str, errors: list | None = None) -> JsonResponse:
    body = {"code": CODES.get(status, "error"), "detail": str(detail), "errors": errors or []}
    response = JsonResponse(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="clustertalks"'
    return response


def field_errors(raw_errors) -> list[dict]:
    """Pydantic's or ninja's error dicts, reduced to loc/msg/type with printable parts."""
    cleaned = []
    for error in raw_errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", [])]
        cleaned.append({"loc": loc, "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))})
    return cleaned


def django_field_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", field], "msg": message, "type": "invalid"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "msg": message, "type": "invalid"} for message in exc.messages]


def install(api) -> None:
    """Register handlers so that nothing, not even a bug, answers with an HTML page."""

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return error_response(422, _("The request is not valid."), field_errors(exc.errors))

    @api.exception_handler(DjangoValidationError)
    def invalid_model(request, exc):
        return error_response(422, _("The request is not valid."), django_field_errors(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return error_response(401, _("Give a valid API token: Authorization: Bearer <token>."))

    @api.exception_handler(AuthorizationError)
    def unauthorised(request, exc):
        return error_response(403, _("This token may not do that."))

    @api.exception_handler(PermissionDenied)
    def denied(request, exc):
        return error_response(403, str(exc) or _("This token may not do that."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, _("Not found."))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return error_response(exc.status_code, str(exc))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return error_response(413, _("The request body is too large."))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return error_response(400, _("The request is not valid."))

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(500, _("Something went wrong on our side. It has been logged."))
