"""Newsletter endpoints: a public sign-up (double opt-in) and, for organisers, bounce and
complaint reports from the mail provider."""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from clustertalks.newsletter import services

from .auth import WriteToken
from .errors import ErrorOut, error_response

router = Router(tags=["newsletter"])


class SignupIn(Schema):
    email: str = Field(..., max_length=254)
    name: str = Field("", max_length=200)
    language: str = Field("", max_length=8)
    follow: Literal["series", "topics", "recordings"] = "series"
    topics: list[int] = Field([], max_length=100, description="Topic ids (for follow=topics).")
    alerts: bool = False


class AcceptedOut(Schema):
    detail: str


class SuppressionIn(Schema):
    email: str = Field(..., max_length=254)
    kind: Literal["bounce", "complaint"]
    note: str = Field("", max_length=250)


class SuppressionOut(Schema):
    known: bool


@router.post("/newsletter/subscribers", response={202: AcceptedOut, 400: ErrorOut, 422: ErrorOut,
                                                   429: ErrorOut},
             summary="Sign up for the newsletter (a confirmation email is sent)")
def signup(request, payload: SignupIn):
    """Always answers 202 with the same text for a usable address, whether or not it is already
    subscribed; only the confirmation email goes out until the address is confirmed."""
    if not services.allow_signup(request, payload.email):
        return error_response(429, _("Too many attempts; wait a few minutes."))
    try:
        services.subscribe(payload.email, payload.name, payload.language, payload.follow,
                           payload.topics, payload.alerts, source="api")
    except services.SignupRefused as error:
        return error_response(400, str(error))
    return 202, {"detail": _("If this address can receive the newsletter, a confirmation "
                             "email is on its way.")}


@router.post("/newsletter/suppressions", auth=WriteToken(), tags=["organisers"],
             response={200: SuppressionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut,
                       422: ErrorOut},
             summary="Record a bounce or a complaint: no further mail to that address")
def suppress(request, payload: SuppressionIn):
    return 200, {"known": services.record_suppression(payload.email, payload.kind, payload.note)}
