"""A person's avatar and a talk page's speaker, written in Python: a talk card shows up to four
avatars and a talk page a speaker per participant, and each `{% include %}` of a template cost
~0.1 ms a time (a context push and some twenty nodes) against a few µs here."""

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from clustertalks.core.choices import choice_label

register = template.Library()


@register.simple_tag
def avatar(person, size=48, described=False) -> SafeString:
    """A person's photo, or their initials until it exists. `size`: the shown width in CSS px
    (32, 48, 96 or 160). The name is always written next to it, so the picture is decorative
    (alt="") unless `described` is set (the person page's photo, with its description).
    Everything comes from the Person row: no query. Ends with a newline, as the template it
    replaced (people/_avatar.html) did."""
    size = size or 48
    if person.has_photo:
        src = person.photo_400.url if size == 160 else person.photo_96.url
        return mark_safe(
            f'<img class="avatar avatar--{size}" src="{esc(src)}" srcset="{esc(person.photo_96.url)} 96w, '
            f'{esc(person.photo_192.url)} 192w, {esc(person.photo_400.url)} 400w" sizes="{size}px" '
            f'width="{size}" height="{size}" loading="{"eager" if described else "lazy"}" decoding="async" '
            f'alt="{esc(person.photo_description) if described else ""}">\n'
        )
    return mark_safe(
        f'<span class="avatar avatar--{size} avatar--initials avatar--c{person.avatar_colour}" '
        f'aria-hidden="true">{esc(person.initials)}</span>\n'
    )


@register.simple_tag
def speaker(part) -> SafeString:
    """A participant on the talk page: avatar, name, role, position, organisation and the
    honours they held at the time of the talk (`part.honours_then`, set by
    talks.selectors.agenda_with_speakers)."""
    person = part.person
    role = f' <span class="speaker__role">({esc(choice_label(part, "role"))})</span>' if part.role != "speaker" else ""
    position = ""
    if part.position or part.organisation:
        organisation = part.organisation
        position = (
            '<span class="speaker__position">'
            + (esc(part.position) if part.position else "")
            + (", " if part.position and organisation else "")
            + (f'<a href="{esc(organisation.get_absolute_url())}">{esc(organisation.full_name)}</a>' if organisation else "")
            + "</span>"
        )
    honours = ""
    if part.honours_then:
        items = "".join(f"<li>{esc(honour)}</li>" for honour in part.honours_then)
        label = esc(gettext("Honours"))
        honours = f'<ul class="honours" aria-label="{label}">{items}</ul>'
    return mark_safe(
        f'<li class="speaker">\n  {avatar(person, 48)}\n  <div class="speaker__text">\n'
        f'  <a class="speaker__name" href="{esc(person.get_absolute_url())}">{esc(person.name)}</a>{role}\n'
        f"  {position}\n  {honours}\n  </div>\n</li>\n"
    )


@register.simple_tag
def speakers(parts) -> SafeString:
    """{% for part in parts %}{% speaker part %}{% endfor %}, without the loop's context and
    argument resolution per participant."""
    return mark_safe("".join(speaker(part) for part in parts))  # noqa: S308 - each escaped by speaker()
