"""Back office of automatic captions: a screen per recording (request a transcription, chapters,
tracks in other languages) and the review screen of a draft transcript."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from clustertalks.roles.admin import SeriesScopedAdmin

from . import engine, services
from .forms import CaptionTrackForm, ChapterForm, DraftCueFormSet, FindReplaceForm, RequestForm
from .models import CaptionTrack, Chapter, KeywordSuggestion, RecordingCaptions, TranscriptionJob

LINES_PER_PAGE = 40
Status = TranscriptionJob.Status


def time_left(job: TranscriptionJob) -> str:
    seconds = seconds_left(job)
    if seconds is None:
        return ""
    if seconds < 60:
        return _("less than a minute left")
    minutes = round(seconds / 60)
    return ngettext("about %(count)d minute left", "about %(count)d minutes left", minutes) % {
        "count": minutes}


def seconds_left(job: TranscriptionJob) -> int | None:
    """Time left, from the pace so far (None until there is a pace to go by)."""
    if job.status != Status.RUNNING or not job.started_at or not job.duration_seconds:
        return None
    done = job.done_seconds
    if done <= 0:
        return None
    elapsed = (timezone.now() - job.started_at).total_seconds()
    return max(0, int(elapsed * (job.duration_seconds - done) / done))


class ChapterInline(admin.TabularInline):
    model = Chapter
    form = ChapterForm
    extra = 1
    autocomplete_fields = []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "agenda_item" and request.resolver_match:
            recording_id = request.resolver_match.kwargs.get("object_id")
            recording = RecordingCaptions.objects.filter(pk=recording_id).first()
            field.queryset = field.queryset.filter(talk_id=recording.talk_id if recording else None)
        return field


class CaptionTrackInline(admin.TabularInline):
    model = CaptionTrack
    form = CaptionTrackForm
    extra = 1
    fields = ["language", "label", "upload"]


@admin.register(RecordingCaptions)
class RecordingCaptionsAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "talk", "source", "captions_state", "chapter_count"]
    list_select_related = ["talk"]
    search_fields = ["title", "talk__title"]
    list_filter = ["source"]
    readonly_fields = ["talk", "title", "source", "automatic_captions"]
    fields = ["talk", "title", "source", "automatic_captions"]
    inlines = [ChapterInline, CaptionTrackInline]
    actions = ["transcribe", "make_chapters"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<path:object_id>/transcribe/", self.admin_site.admin_view(self.transcribe_view),
                 name="captions_recordingcaptions_transcribe"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("automatic captions"))
    def captions_state(self, recording):
        job = recording.transcription_jobs.first()
        if job is None:
            return "—"
        url = reverse("admin:captions_transcriptionjob_change", args=[job.pk])
        label = job.get_status_display()
        if job.is_active:
            label = f"{label} ({job.percent} %)"
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=gettext_lazy("chapters"))
    def chapter_count(self, recording):
        return recording.chapters.count()

    @admin.display(description=gettext_lazy("automatic captions"))
    def automatic_captions(self, recording):
        # Rendered inside the change form: its button posts that form to the transcribe view
        # (formaction), since forms cannot nest.
        return render_to_string("admin/captions/_automatic_captions.html", {
            "recording": recording, "job": recording.transcription_jobs.first(),
            "unavailable": engine.unavailable_reason(), "form": RequestForm(prefix="captions"),
            "transcribe_url": reverse("admin:captions_recordingcaptions_transcribe", args=[recording.pk]),
        })

    def transcribe_view(self, request, object_id):
        recording = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, recording):
            raise PermissionDenied
        back = reverse("admin:captions_recordingcaptions_change", args=[recording.pk])
        reason = engine.unavailable_reason()
        form = RequestForm(request.POST, prefix="captions")
        if reason:
            self.message_user(request, reason, messages.ERROR)
        elif not form.is_valid():
            self.message_user(request, " ".join(form.errors.get("language", [])), messages.ERROR)
        else:
            self._request(request, recording, form.cleaned_data["language"])
        return HttpResponseRedirect(back)

    def _request(self, request, recording, language="") -> bool:
        try:
            job = services.request_transcription(recording, user=request.user, language=language)
        except services.NotTranscribable as error:
            self.message_user(request, f"{recording}: {error}", messages.WARNING)
            return False
        self.message_user(request, _("%(recording)s: %(status)s.") % {
            "recording": recording, "status": job.get_status_display()})
        return True

    @admin.action(description=gettext_lazy("Transcribe selected recordings"), permissions=["change"])
    def transcribe(self, request, queryset):
        reason = engine.unavailable_reason()
        if reason:
            self.message_user(request, reason, messages.ERROR)
            return
        for recording in queryset:
            self._request(request, recording)

    @admin.action(description=gettext_lazy("Make chapters from the agenda"), permissions=["change"])
    def make_chapters(self, request, queryset):
        made = sum(services.chapters_from_agenda(recording) for recording in queryset)
        self.message_user(request, ngettext("%(count)d chapter made.", "%(count)d chapters made.",
                                            made) % {"count": made})


@admin.register(TranscriptionJob)
class TranscriptionJobAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    list_display = ["recording", "talk", "status", "progress", "spoken_language", "created_at",
                    "published_at"]
    list_filter = ["status"]
    list_select_related = ["recording__talk"]
    search_fields = ["recording__title", "recording__talk__title"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("talk"))
    def talk(self, job):
        return job.recording.talk

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, job):
        return f"{job.percent} %"

    @admin.display(description=gettext_lazy("spoken language"))
    def spoken_language(self, job):
        return job.spoken_language or "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = get_object_or_404(self.get_queryset(request).select_related("recording__talk"), pk=object_id)
        if not self.has_view_or_change_permission(request, job):
            raise PermissionDenied
        cues = Paginator(job.cues.all(), LINES_PER_PAGE).get_page(request.GET.get("page"))
        lines = DraftCueFormSet(queryset=job.cues.filter(pk__in=[c.pk for c in cues]), prefix="lines")
        find = FindReplaceForm(prefix="find")
        if request.method == "POST":
            if not self.has_change_permission(request, job):
                raise PermissionDenied
            response, lines, find = self._post(request, job, cues)
            if response:
                return response
        return TemplateResponse(request, "admin/captions/review.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "job": job,
            "title": _("Automatic transcript of “%(recording)s”") % {"recording": job.recording},
            "lines": lines, "page": cues, "find": find, "time_left": time_left(job),
            "speakers": services.speaker_names(job.recording),
            "keywords": job.keywords.filter(state=KeywordSuggestion.State.SUGGESTED),
            "can_change": self.has_change_permission(request, job),
            "editable": job.status in (Status.DONE, Status.PUBLISHED),
            "recording_url": reverse("admin:captions_recordingcaptions_change", args=[job.recording_id]),
        })

    def _post(self, request, job, cues):
        action = request.POST.get("action", "")
        here = request.get_full_path()
        lines = DraftCueFormSet(request.POST, queryset=job.cues.filter(pk__in=[c.pk for c in cues]),
                                prefix="lines")
        find = FindReplaceForm(request.POST, prefix="find")
        if action == "cancel":
            if services.cancel(job):
                self.message_user(request, _("The transcription was cancelled."))
            return HttpResponseRedirect(here), lines, find
        if action == "retry" and job.status in (Status.FAILED, Status.CANCELLED):
            services.request_transcription(job.recording, user=request.user, language=job.language)
            self.message_user(request, _("The recording is queued for transcription again."))
            return HttpResponseRedirect(reverse("admin:captions_recordingcaptions_change",
                                                args=[job.recording_id])), lines, find
        if job.status not in (Status.DONE, Status.PUBLISHED):
            self.message_user(request, _("The draft can be changed once transcription is done."),
                              messages.WARNING)
            return HttpResponseRedirect(here), lines, find
        if action == "save_lines":
            if lines.is_valid():
                with transaction.atomic():
                    lines.save()
                self.message_user(request, _("The lines were saved."))
                return HttpResponseRedirect(here), lines, find
            self.message_user(request, _("Some lines could not be saved; see below."), messages.ERROR)
            return None, lines, FindReplaceForm(prefix="find")
        if action == "find_replace":
            if find.is_valid():
                count = services.find_and_replace(job, **{k: find.cleaned_data[k] for k in
                                                          ("find", "replace", "whole_words", "match_case")})
                self.message_user(request, ngettext("%(count)d line changed.", "%(count)d lines changed.",
                                                    count) % {"count": count})
                return HttpResponseRedirect(here), lines, find
            return None, DraftCueFormSet(queryset=job.cues.filter(pk__in=[c.pk for c in cues]),
                                         prefix="lines"), find
        if action in ("accept_keyword", "ignore_keyword"):
            suggestion = get_object_or_404(KeywordSuggestion, job=job, pk=request.POST.get("keyword"))
            if action == "accept_keyword":
                topic = services.accept_keyword(suggestion)
                self.message_user(request, _("“%(topic)s” was added to the talk's topics.") % {"topic": topic})
            else:
                suggestion.state = KeywordSuggestion.State.IGNORED
                suggestion.save(update_fields=["state"])
            return HttpResponseRedirect(here), lines, find
        if action == "publish":
            try:
                services.publish(job, request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("The transcript is published: captions, the clickable "
                                             "transcript and search now use it (shown with the "
                                             "talk's published materials)."))
            return HttpResponseRedirect(here), lines, find
        return HttpResponseRedirect(here), lines, find
