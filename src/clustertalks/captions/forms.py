"""Forms of the review screen: a draft line with readable times, find and replace, tracks."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clustertalks.materials import services as materials

from . import services
from .models import CaptionTrack, Chapter, DraftCue

TIMECODE = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\s*$")
MAX_TIMECODE_MS = 100 * 3600 * 1000  # 100 hours: more than any recording


def parse_timecode(value: str) -> int:
    """'4:05', '1:02:03' or '0:04:05.250' → milliseconds."""
    match = TIMECODE.match(value or "")
    if not match:
        raise ValidationError(_("Write a time as minutes:seconds, e.g. 4:05 or 1:02:03.5."))
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) > 59 or (hours and int(minutes) > 59):
        raise ValidationError(_("Minutes and seconds go up to 59."))
    ms = ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000
    ms += int((fraction or "0").ljust(3, "0"))
    if ms > MAX_TIMECODE_MS:
        raise ValidationError(_("This time is longer than any recording."))
    return ms


def format_timecode(ms: int) -> str:
    return f"{materials.clock(ms)}.{int(ms) % 1000:03d}"


class TimecodeField(forms.Field):
    """A time into the recording, typed as 4:05.250 and kept in milliseconds."""

    widget = forms.TextInput(attrs={"size": 10, "maxlength": 16, "autocomplete": "off"})

    def prepare_value(self, value):
        return format_timecode(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        if len(value) > 16:
            raise ValidationError(_("Write a time as minutes:seconds, e.g. 4:05 or 1:02:03.5."))
        return parse_timecode(value)


class DraftCueForm(forms.ModelForm):
    start_ms = TimecodeField(label=_("Start"))
    end_ms = TimecodeField(label=_("End"))

    class Meta:
        model = DraftCue
        fields = ["start_ms", "end_ms", "speaker", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2, "cols": 70}),
            "speaker": forms.TextInput(attrs={"list": "speaker-names", "size": 18}),
        }

    def clean_text(self):
        text = " ".join((self.cleaned_data.get("text") or "").split())
        if materials.CONTROL_CHARACTERS.search(text):
            raise ValidationError(_("Remove the control characters from this line."))
        return text[:materials.MAX_CUE_TEXT]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_ms"), data.get("end_ms")
        if start is not None and end is not None and end <= start:
            self.add_error("end_ms", _("A line must end after it starts."))
        return data


DraftCueFormSet = forms.modelformset_factory(DraftCue, form=DraftCueForm, extra=0, can_delete=True)


class FindReplaceForm(forms.Form):
    find = forms.CharField(label=_("Find"), max_length=200,
                           error_messages={"required": _("Say what to find.")})
    replace = forms.CharField(label=_("Replace with"), max_length=200, required=False,
                              strip=False)
    whole_words = forms.BooleanField(label=_("Whole words only"), required=False, initial=True)
    match_case = forms.BooleanField(label=_("Match case"), required=False)

    def clean_find(self):
        find = self.cleaned_data["find"]
        if not find.strip():
            raise ValidationError(_("Say what to find."))
        return find


class RequestForm(forms.Form):
    language = forms.CharField(
        label=_("Spoken language"), max_length=8, required=False,
        help_text=_("A code such as en, de or fr; leave empty to detect it."))

    def clean_language(self):
        code = self.cleaned_data["language"].strip().lower()
        if code and not re.fullmatch(r"[a-z]{2,3}", code):
            raise ValidationError(_("Give a two- or three-letter language code, e.g. en."))
        return code


class ChapterForm(forms.ModelForm):
    start_ms = TimecodeField(label=_("Starts at"))

    class Meta:
        model = Chapter
        fields = ["title", "start_ms", "agenda_item"]


class CaptionTrackForm(forms.ModelForm):
    upload = forms.FileField(label=_("Captions file (WebVTT or SRT)"), required=False)

    class Meta:
        model = CaptionTrack
        fields = ["language", "label"]

    def clean_language(self):
        code = self.cleaned_data["language"].strip().lower()
        if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", code):
            raise ValidationError(_("Give a language code such as fr, de or pt-br."))
        return code

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is None and not self.instance.webvtt:
            self.add_error("upload", _("Choose the captions file."))
        elif upload is not None:
            try:
                materials.check_size(upload, "MATERIALS_MAX_TRANSCRIPT_BYTES")
                upload.seek(0)
                services.store_caption_track(self.instance, upload.read())
            except ValidationError as error:
                self.add_error("upload", error)
        return data
