"""Hooks of the materials room in the public pages. Each tag runs a fixed number of queries and
shows nothing of a draft talk, nor of materials that are not published (organisers excepted)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import markup, selectors

register = template.Library()


def _render(context, template_name: str, values: dict) -> str:
    return render_to_string(template_name, values, request=context.get("request"))


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def talk_materials(context, talk):
    """Recording, transcript, slides, summary and takeaways on the talk page (five queries)."""
    materials = selectors.talk_materials(talk, _user(context))
    if materials is None:
        return ""
    request = context.get("request")
    seconds, which = selectors.moment_param(request.GET) if request is not None else (0, None)
    if seconds and materials.recordings:  # a search result's moment: ?t=754(&recording=12)
        target = next((r for r in materials.recordings if r.pk == which), materials.recordings[0])
        selectors.dress_recording(target, with_cues=False, start_seconds=seconds)
    return markup.materials_block(materials, talk, **_in_page_language(talk, materials), request=request)


def _in_page_language(talk, materials) -> dict:
    """The summary and takeaways in the page's language when the talk has them translated
    (talks.translations), else the originals with the `lang` to mark them with."""
    from django.utils.translation import get_language

    translation = getattr(talk, "page_translation", None)
    original_lang = talk.language if talk.language != get_language() else ""
    summary = materials.summary.text if materials.summary else ""
    if translation and translation.summary:
        values = {"summary_text": translation.summary, "summary_lang": ""}
    else:
        values = {"summary_text": summary, "summary_lang": original_lang}
    lines = translation.takeaway_lines() if translation else []
    ordered = sorted((t for _kind, _heading, group in materials.takeaway_groups for t in group),
                     key=lambda t: (t.order, t.pk))
    for index, takeaway in enumerate(ordered):  # display copies, never saved
        if index < len(lines):
            takeaway.text, takeaway.lang = lines[index], ""
        else:
            takeaway.lang = original_lang
    return values


@register.simple_tag(takes_context=True)
def latest_recordings(context):
    """The latest recordings, on the home page (one query)."""
    recordings = selectors.latest_recordings()
    if not recordings:
        return ""
    for recording in recordings:
        recording.has_transcript = hasattr(recording, "transcript")
    return _render(context, "materials/latest_recordings.html", {"recordings": recordings})


@register.simple_tag(takes_context=True)
def person_takeaways(context, person):
    """The key takeaways credited to a person, on their page (one query)."""
    takeaways = selectors.person_takeaways(person)
    if not takeaways:
        return ""
    values = {"takeaways": takeaways, "heading": _("Key takeaways"), "show_topic": True}
    return _render(context, "materials/takeaway_list.html", values)


@register.simple_tag(takes_context=True)
def topic_takeaways(context, topic):
    """The key takeaways on a topic, on the topic page (one query)."""
    takeaways = selectors.topic_takeaways(topic)
    if not takeaways:
        return ""
    values = {"takeaways": takeaways, "heading": _("Key takeaways on this topic"), "show_person": True}
    return _render(context, "materials/takeaway_list.html", values)


@register.simple_tag(takes_context=True)
def recording_player(context, recording, talk) -> SafeString:
    """The player on a recording's own page, as on the talk page (markup.player)."""
    return markup.player(recording, talk, context.get("request"))


@register.simple_tag
def player_script() -> SafeString:
    """The player's script, on a recording's own page (the talk page writes it with its block)."""
    return mark_safe(markup.player_script())
