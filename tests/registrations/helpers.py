import datetime as dt

from django.utils import timezone

FORM = {
    "name": "Ada Lovelace", "email": "ada@example.org", "organisation": "Analytical Cluster",
    "organisation_type": "cluster", "country": "BE", "position": "Manager",
    "time_zone": "America/New_York", "consent": "on",
}


def in_days(days: float, hour_utc: int | None = 7, minute: int = 30):
    moment = timezone.now() + dt.timedelta(days=days)
    if hour_utc is not None:
        moment = moment.replace(hour=hour_utc, minute=minute, second=0, microsecond=0)
    return moment


def form(**changes):
    data = dict(FORM, **changes)
    return {key: value for key, value in data.items() if value is not None}
