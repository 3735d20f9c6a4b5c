"""Hooks of the registrations room in the public pages."""

from django import template
from django.template.loader import render_to_string

from clustertalks.registrations import services

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_panel(context, talk):
    """Whether registration is open, and a link to the form page.

    The talk page is cached publicly, so the panel holds nothing personal and no CSRF token:
    the form lives on its own, uncached page."""
    if talk.is_past and talk.status != "draft":
        return ""
    policy = services.policy_for(talk)
    state = services.openness(talk, policy)
    return render_to_string("registrations/_panel.html", {
        "talk": talk, "policy": policy, "state": state,
        "closes": services.format_when(state.closes_at, talk.zone_name) if state.is_open else "",
    }, request=context.get("request"))


@register.simple_tag
def retention_months():
    """How many months after a talk its registrations are anonymised (for the privacy notice)."""
    from django.conf import settings

    return settings.REGISTRATION_RETENTION_MONTHS


@register.simple_tag
def retention_periods():
    """Every retention period the privacy notice names: registrations (months after the talk),
    the email log and the audit trail (days)."""
    from django.conf import settings

    return {
        "registration_months": settings.REGISTRATION_RETENTION_MONTHS,
        "mail_log_days": settings.MAIL_LOG_RETENTION_DAYS,
        "audit_days": settings.AUDIT_RETENTION_DAYS,
    }


@register.simple_tag(takes_context=True)
def register_button(context, talk):
    """The home page hero's call to action: "Register" while registration is open, else why not
    (one query: the policy). Nothing personal, so the page stays publicly cached."""
    policy = services.policy_for(talk)
    state = services.openness(talk, policy)
    return render_to_string("registrations/_register_button.html", {
        "talk": talk, "state": state,
        "closes": services.format_when(state.closes_at, talk.zone_name) if state.is_open else "",
    }, request=context.get("request"))
