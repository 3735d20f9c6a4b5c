"""Rules of the API room: personal tokens.

A token reads ``ct_<prefix>_<secret>``. The prefix (8 hex characters) finds the row; the secret
(32 random bytes) is checked against its SHA-256 digest. A fast hash is enough here, unlike for
passwords: a secret of 256 random bits cannot be guessed or brute-forced from its digest, so a
slow hash (PBKDF2, Argon2) would only add work to every API request without adding safety.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from clustertalks.roles import services as roles

from .models import ApiToken

TOKEN_START = "ct_"
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user, name: str, scope: str = ApiToken.Scope.READ, expires_at=None, *, by=None) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain text, which is never stored. `by`, when
    given, is who asks: only the owner or an administrator may (PermissionDenied otherwise)."""
    check_issuer(by, user)
    token = ApiToken(user=user, name=name, scope=scope, expires_at=expires_at)
    plain = fill_new_secret(token)
    token.save()
    return token, plain


def check_issuer(by, owner) -> None:
    if by is not None and not roles.can_manage_tokens_of(by, owner):
        raise PermissionDenied(_("Only its owner or an administrator may create a token."))


def fill_new_secret(token: ApiToken) -> str:
    """Give an unsaved token its prefix and secret digest; return the plain token."""
    token.prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token.secret_hash = digest(secret)
    return f"{TOKEN_START}{token.prefix}_{secret}"


def split_token(plain: str) -> tuple[str, str] | None:
    if not plain.startswith(TOKEN_START) or len(plain) > 200:
        return None
    prefix, sep, secret = plain[len(TOKEN_START):].partition("_")
    if not sep or not prefix or not secret:
        return None
    return prefix, secret


def authenticate(plain: str) -> ApiToken | None:
    """The usable token this plain text stands for, or None. Records when it was last used."""
    parts = split_token(plain.strip())
    if parts is None:
        return None
    prefix, secret = parts
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, digest(secret)):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    note_use(token)
    return token


def note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def can_write(token: ApiToken) -> bool:
    """Write scope, held by a member of the back office. What each write may do is then
    decided by the owner's role (api/write.py): a token never carries more than that."""
    return token.scope == ApiToken.Scope.WRITE and token.user.is_staff
