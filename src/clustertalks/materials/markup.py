"""The talk page's materials block and the recording player, written in Python: as templates
(talk_materials.html including _player.html per recording) they were ~13 % of a talk page miss,
some 200 nodes and a context push per include. The markup is byte for byte what the templates
wrote (tests/materials/test_markup.py keeps them as the reference), whitespace included.

As in the templates: values are escaped, translated text is not (as {% translate %} and
{% blocktranslate %} leave it), and every string is looked up in the active language."""

import html

from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, override

from clustertalks.captions.templatetags.captions_tags import caption_tracks, recording_extras
from clustertalks.core.links import PLAIN_SLUG, slug_url
from clustertalks.core.markdown import render_markdown

def esc(value) -> str:
    """django.utils.html.conditional_escape without the lazy-string wrapper of escape(), which
    made it some five times slower (a block escapes ~40 values): what is marked safe stays as
    it is, anything else is escaped as escape() does it."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


# --- Translations as the template tags give them ---------------------------------------------------


def translate(message: str) -> str:
    """{% translate "message" %}: a literal's `%%` comes back as `%`."""
    return gettext(message).replace("%%", "%")


def blocktranslate(message: str, **values) -> str:
    """{% blocktranslate %} with `values` already escaped (strings, as the tag renders them); a
    translation whose placeholders do not fit is replaced by the English text, as the tag does."""
    return _filled(lambda: gettext(message), values)


def blocktranslate_plural(message: str, plural: str, count: int, **values) -> str:
    """{% blocktranslate count counter=... %}...{% plural %}...: as blocktranslate."""
    values["counter"] = str(count)
    return _filled(lambda: ngettext(message, plural, count), values)


def _filled(translated, values: dict) -> str:
    try:
        return translated() % values
    except (KeyError, ValueError):
        with override(None):
            return translated() % values


# Every literal above goes to translate(), blocktranslate() or blocktranslate_plural() outside
# an f-string's braces: xgettext (makemessages) reads neither inside braces nor unknown helpers,
# so those three are declared to it (core/management/commands/makemessages.py), and a string it
# cannot see would be dropped from the catalogues by the next makemessages
# (tests/i18n/test_catalogues.py checks every catalogue string is still found).


# --- Addresses ------------------------------------------------------------------------------------

_routes: dict[tuple[str, str, str | None], tuple[str, str, str]] = {}
_SLUG_MARKER, _PK_MARKER = "slug-marker-0", 900_000_001


def recording_route(name: str, slug: str, pk: int) -> str:
    """reverse(name, args=[slug, pk]) for a recording's routes (its page, its captions), reversed
    once per name, script prefix and language with markers, then filled in (as core.links.slug_url
    does, and for the same reason: reverse() walks the resolver every time)."""
    if not PLAIN_SLUG.fullmatch(slug or ""):  # one that needs quoting: the resolver does it
        return reverse(name, args=[slug, pk])
    key = (name, get_script_prefix(), get_language())
    parts = _routes.get(key)
    if parts is None:
        before, _, rest = reverse(name, args=[_SLUG_MARKER, _PK_MARKER]).partition(_SLUG_MARKER)
        middle, _, after = rest.partition(str(_PK_MARKER))
        parts = _routes[key] = (before, middle, after)
    return f"{parts[0]}{slug}{parts[1]}{int(pk)}{parts[2]}"


def slug_route(name: str):
    """slug -> core.links.slug_url(name, slug), with the route looked up once for a whole list:
    slug_url reads the language and the script prefix (thread-locals) on every call."""
    before, _, after = slug_url(name, _SLUG_MARKER).partition(_SLUG_MARKER)
    return lambda slug: before + slug + after if PLAIN_SLUG.fullmatch(slug or "") else slug_url(name, slug)


def player_script() -> str:
    """The player's script (materials/_scripts.html before), for pages with a recording."""
    return f'<script src="{esc(static("materials/player.js"))}" defer></script>\n'


# --- The player -----------------------------------------------------------------------------------


def player(recording, talk, request=None) -> SafeString:
    """A recording's player (`recording.player`, from selectors.dress_recording), its chapters
    and caption notes, as materials/_player.html wrote it."""
    label = esc(recording.title or talk.title)
    kind = recording.player["kind"]
    if kind == "video":
        shown = _video_player(recording, talk, label)
    elif kind == "facade":
        shown = _facade_player(recording, label)
    elif kind == "link":
        shown = _link_player(recording)
    else:
        shown = ""
    # recording_extras is a context tag: it only reads the request from its context.
    extras = recording_extras({"request": request}, recording, talk)
    return mark_safe(f"\n{shown}\n{extras}\n\n")


def _video_player(recording, talk, label: str) -> str:
    player = recording.player
    poster = f' poster="{esc(recording.poster.url)}"' if recording.poster else ""
    captions_track = captions_link = ""
    if recording.has_captions:
        captions = esc(recording_route("materials:captions", talk.slug, recording.pk))
        language = esc(recording.transcript.language)
        captions_label, download_captions = translate("Captions"), translate("Download the captions (WebVTT)")
        captions_track = (f'<track kind="captions" src="{captions}" srclang="{language}" '
                          f'label="{captions_label} ({language})" default>')
        captions_link = f' · <a href="{captions}" download>{download_captions}</a>'
    aria_label = blocktranslate("Recording: %(label)s", label=label)
    download_video = translate("Download the video")
    return (
        f'\n<div class="player player--video" id="player-{recording.pk}" data-source="upload">\n'
        f'  <video controls preload="metadata"{poster} aria-label="{aria_label}">\n'
        f'    <source src="{esc(player["play_src"] or player["src"])}">\n'
        f"    {captions_track}\n"
        f"    {caption_tracks(recording, talk)}\n"
        f"  </video>\n"
        f'  <p class="player__note"><a href="{esc(player["src"])}" download>{download_video}</a>{captions_link}</p>\n'
        f"</div>\n"
    )


def _facade_player(recording, label: str) -> str:
    """A poster that loads the provider's player only when the visitor chooses to play."""
    player = recording.player
    provider = esc(player["provider"])
    poster = (f'<img class="player__poster" src="{esc(recording.poster.url)}" alt="" width="640" height="360" loading="lazy">'
              if recording.poster else "")
    note = blocktranslate("Playing this video loads content from %(provider)s, which may set cookies. Nothing is "
                          "loaded from %(provider)s until you choose to play.", provider=provider)
    frame_title = blocktranslate("Recording: %(label)s", label=label)
    play_label = blocktranslate("Play “%(label)s” (loads content from %(provider)s)", label=label, provider=provider)
    play_from = blocktranslate("Play from %%s (loads content from %(provider)s)", provider=provider)
    watch = blocktranslate("Watch “%(label)s” on %(provider)s", label=label, provider=provider)
    return (
        f'\n<div class="player player--facade" id="player-{recording.pk}" data-embed="{esc(player["embed"])}" '
        f'data-source="{esc(recording.source)}" '
        f'data-frame-title="{frame_title}" data-play-label="{play_label}" data-play-from="{play_from}">\n'
        f'  <a class="player__facade" href="{esc(player["href"])}" rel="noopener noreferrer">\n'
        f"    {poster}\n"
        f'    <span class="player__play" aria-hidden="true"></span>\n'
        f'    <span class="player__label">{watch}</span>\n'
        f"  </a>\n"
        f'  <p class="player__note">{note}</p>\n'
        f"</div>\n"
    )


def _link_player(recording) -> str:
    player = recording.player
    watch = blocktranslate("Watch the recording on %(provider)s", provider=esc(player["provider"]))
    return (f'\n<p class="player player--link"><a class="button" href="{esc(player["href"])}" '
            f'rel="noopener noreferrer">{watch}</a></p>\n')


# --- The materials block --------------------------------------------------------------------------


def materials_block(materials, talk, summary_text: str, summary_lang: str, request=None) -> SafeString:
    """The talk page's 'After the talk' section (materials/talk_materials.html before)."""
    recordings = "".join(_recording_section(recording, talk, request) for recording in materials.recordings)
    heading = translate("After the talk")
    return mark_safe(
        f'\n<section class="materials" aria-labelledby="materials-heading">\n'
        f'  <h2 id="materials-heading">{heading}</h2>\n'
        f"  {_preview_notice() if materials.is_preview else ''}\n"
        f"  {recordings}\n"
        f"  {_attachments(materials.attachments)}\n"
        f"  {_summary(summary_text, summary_lang)}\n"
        f"  {_takeaways(materials.takeaway_groups)}\n"
        f"</section>\n"
        f"{player_script() if materials.recordings else ''}\n"
    )


def _preview_notice() -> str:
    preview = translate("Preview.")
    only_organisers = translate("These materials are not published yet: only organisers can see them.")
    return f'<p class="notice notice--draft" role="note"><strong>{preview}</strong> {only_organisers}</p>'


def _recording_section(recording, talk, request) -> str:
    pk = recording.pk
    if recording.title:
        heading = blocktranslate("Recording: %(title)s", title=esc(recording.title))
    else:
        heading = translate("Recording")
    page = esc(recording_route("materials:recording", talk.slug, pk))
    transcript = ""
    if recording.cue_count:
        read = blocktranslate_plural("Read the transcript (%(counter)s line)",
                                     "Read the transcript (%(counter)s lines)", recording.cue_count)
        transcript = f'<a href="{page}#transcript-{pk}">{read}</a> · '
    open_page = translate("Open the recording on its own page")
    return (
        f'\n  <section class="materials__recording" id="recording-{pk}" aria-labelledby="recording-{pk}-heading">\n'
        f'    <h3 id="recording-{pk}-heading">{heading}</h3>\n'
        f"    {player(recording, talk, request)}\n"
        f'    <p>{transcript}<a href="{page}">{open_page}</a></p>\n'
        f"  </section>\n  "
    )


def _attachments(attachments) -> str:
    if not attachments:
        return ""
    items = "".join(_attachment(attachment) for attachment in attachments)
    heading = translate("Slides and documents")
    return (
        f'\n  <section aria-labelledby="slides-heading">\n'
        f'    <h3 id="slides-heading">{heading}</h3>\n'
        f'    <ul class="attachments">\n      {items}\n    </ul>\n  </section>\n  '
    )


def _attachment(attachment) -> str:
    """One PDF; `speaker_name` and `speaker_slug` come with it (selectors.TALK_ATTACHMENTS)."""
    thumbnail = (f'<img class="attachment__thumb" src="{esc(attachment.thumbnail.url)}" alt="" width="160" loading="lazy">'
                 if attachment.thumbnail else "")
    pages = ""
    if attachment.page_count:
        pages = " · " + blocktranslate_plural("%(counter)s page", "%(counter)s pages", attachment.page_count)
    speaker = ""
    if attachment.speaker_id:
        by = translate("By")
        speaker = (f'<span class="attachment__meta">{by} '
                   f'<a href="{esc(slug_url("people:person", attachment.speaker_slug))}">{esc(attachment.speaker_name)}</a></span>')
    return (
        f'\n      <li class="attachment">\n        {thumbnail}\n        <div>\n'
        f'          <a class="attachment__title" href="{esc(attachment.file.url)}" download>{esc(attachment.title)}</a>\n'
        f'          <span class="attachment__meta">{esc(attachment.get_kind_display())} · PDF, '
        f"{esc(filesizeformat(attachment.size_bytes))}{pages}</span>\n"
        f"          {speaker}\n        </div>\n      </li>\n      "
    )


def _summary(text: str, lang: str) -> str:
    if not text:
        return ""
    lang_attribute = f' lang="{esc(lang)}"' if lang else ""
    heading = translate("Summary")
    return (
        f'\n  <section class="prose" id="summary" aria-labelledby="summary-heading">\n'
        f'    <h3 id="summary-heading">{heading}</h3>\n'
        f"    <div{lang_attribute}>{render_markdown(text)}</div>\n  </section>\n  "
    )


def _takeaways(groups) -> str:
    if not groups:
        return ""
    person_url, topic_url = slug_route("people:person"), slug_route("talks:topic")
    kinds = "".join(
        f'\n    <h4 class="takeaways__kind takeaways__kind--{esc(kind)}">{esc(heading)}</h4>\n'
        f'    <ul class="takeaways__list">\n      {takeaway_items(takeaways, person_url, topic_url)}\n    </ul>\n    '
        for kind, heading, takeaways in groups
    )
    heading = translate("Key takeaways")
    return (
        f'\n  <section class="takeaways" id="takeaways" aria-labelledby="takeaways-heading">\n'
        f'    <h3 id="takeaways-heading">{heading}</h3>\n    {kinds}\n  </section>\n  '
    )


def takeaway_items(takeaways, person_url=None, topic_url=None) -> SafeString:
    """Takeaways of one kind as `<li>` items each followed by the list's indentation. The person
    and topic come as names and slugs (selectors.TALK_TAKEAWAYS), not as rows."""
    person_url, topic_url = person_url or slug_route("people:person"), topic_url or slug_route("talks:topic")
    items = []
    for takeaway in takeaways:
        lang = f' lang="{esc(takeaway.lang)}"' if takeaway.lang else ""
        meta = ""
        if takeaway.person_id or takeaway.topic_id:
            person = (f'— <a href="{esc(person_url(takeaway.person_slug))}">{esc(takeaway.person_name)}</a>'
                      if takeaway.person_id else "")
            topic = (f' · <a href="{esc(topic_url(takeaway.topic_slug))}">{esc(takeaway.topic_name)}</a>'
                     if takeaway.topic_id else "")
            meta = f' <span class="takeaway__meta">{person}{topic}</span>'
        items.append(f'<li id="takeaway-{takeaway.pk}"{lang}>{esc(takeaway.text)}{meta}</li>\n      ')
    return mark_safe("".join(items))
