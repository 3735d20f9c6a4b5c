"""The 'after the talk' screen: one page per talk to attach the recording (with its transcript),
the slides, the summary and the key takeaways, then publish them.

Uploads are checked by content and size in the forms; the page saves everything or nothing (the
admin saves a change form in one transaction). A request body larger than the limits is refused
from its Content-Length, and a file that grows past its field's limit while it streams stops
being stored (`SizeLimitUploadHandler`). Either way the rest of the body is read and thrown away
before answering: a server that answers while the browser is still sending, then closes, makes
the browser show "connection reset" instead of the answer. Only a body past twice the limits is
answered at once, with a 413 page."""

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models import Count
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import dateformat
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from clustertalks.backoffice.dates import back_office_datetime
from clustertalks.roles.admin import SeriesScopedAdmin

from . import services, tasks
from .models import Attachment, Recording, Takeaway, TalkMaterials, TalkSummary

# --- Size guard for the uploads of this screen ------------------------------------------------------

FIELD_LIMITS = {
    "video": "MATERIALS_MAX_VIDEO_BYTES",
    "file": "MATERIALS_MAX_PDF_BYTES",
    "transcript_file": "MATERIALS_MAX_TRANSCRIPT_BYTES",
    "poster": "MATERIALS_MAX_IMAGE_BYTES",
}


def field_limit(field_name: str) -> int:
    suffix = field_name.rsplit("-", 1)[-1]
    return services.limit(FIELD_LIMITS.get(suffix, "MATERIALS_MAX_IMAGE_BYTES"))


class SizeLimitUploadHandler(FileUploadHandler):
    """First in the chain: refuses a body whose announced length is too large without reading
    it, and stops reading a file as soon as it passes its field's limit."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > services.max_request_bytes():
            self.request.materials_upload_refused = content_length
            if content_length <= max_drained_bytes():
                drain(input_data)
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        self.maximum = field_limit(field_name)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.maximum:
            self.request.materials_upload_refused = self.received
            raise StopUpload(connection_reset=False)  # Django reads the rest of the body away
        return raw_data

    def file_complete(self, file_size):
        return None


def max_drained_bytes() -> int:
    """Up to this size an oversized body is read away so that the browser shows the answer."""
    return 2 * services.max_request_bytes()


def drain(stream, chunk_size: int = 1024 * 1024) -> None:
    while stream.read(chunk_size):
        pass


def too_large_message() -> str:
    return _t("Nothing was saved: the upload is too large. The limits are %(pdf)s for a PDF and "
              "%(video)s for a video file.") % {
        "pdf": services.human_size(services.limit("MATERIALS_MAX_PDF_BYTES")),
        "video": services.human_size(services.limit("MATERIALS_MAX_VIDEO_BYTES")),
    }


def refuse_oversized(request, redirect_to: str):
    if request.materials_upload_refused > max_drained_bytes():
        response = render(request, "materials/upload_too_large.html",
                          {"message": too_large_message(), "back": redirect_to}, status=413)
        response["Connection"] = "close"
        return response
    messages.error(request, too_large_message())
    return HttpResponseRedirect(redirect_to)


# --- Forms ----------------------------------------------------------------------------------------


def new_upload(form, name):
    """The file just uploaded in this field, or None when the field kept its stored file."""
    value = form.cleaned_data.get(name)
    return value if isinstance(value, UploadedFile) else None


class RecordingForm(forms.ModelForm):
    url = forms.URLField(
        label=_("address"), required=False, max_length=500, assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 40}),
        help_text=_("YouTube, Vimeo, the EC audiovisual service, or the address of an MP4 or HLS file."),
    )
    transcript_file = forms.FileField(
        label=_("transcript (WebVTT or SRT)"),
        required=False,
        help_text=_("Replaces the current transcript. Its lines become the video's captions."),
    )

    class Meta:
        model = Recording
        fields = ("order", "title", "url", "video", "poster", "duration_seconds", "language")

    def clean_url(self):
        url = (self.cleaned_data.get("url") or "").strip()
        self.address = services.classify_video_url(url) if url else None
        return url

    def clean_video(self):
        if upload := new_upload(self, "video"):
            services.validate_video_file(upload)
        return self.cleaned_data.get("video")

    def clean_poster(self):
        if upload := new_upload(self, "poster"):
            services.validate_image_file(upload)
        return self.cleaned_data.get("poster")

    def clean_transcript_file(self):
        upload = self.cleaned_data.get("transcript_file")
        self.parsed_transcript = services.parse_transcript(upload) if upload else None
        return upload

    def clean(self):
        cleaned = super().clean()
        url, video = cleaned.get("url"), cleaned.get("video")
        if self.errors:
            return cleaned
        if url and video:
            raise ValidationError(_("Give either a video address or a video file, not both."))
        if not url and not video:
            raise ValidationError(_("Give the address of the video or upload the video file."))
        address = getattr(self, "address", None)
        self.instance.source = address.source if address else Recording.Source.UPLOAD
        return cleaned


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ("order", "kind", "title", "file", "speaker")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the file name.")
        self.fields["file"].help_text = _("PDF only.")

    def clean_file(self):
        upload = new_upload(self, "file")
        if upload:
            info = services.validate_pdf(upload)
            self.instance.size_bytes = info.size_bytes
            self.instance.page_count = info.page_count
            self.instance.processing = Attachment.Processing.PENDING
            self.instance.processing_error = ""
        return self.cleaned_data.get("file")

    def clean(self):
        cleaned = super().clean()
        upload = new_upload(self, "file")
        if not cleaned.get("title") and upload:
            cleaned["title"] = upload.name.rsplit(".", 1)[0].replace("_", " ")[:250]
        if not cleaned.get("title") and "file" in cleaned and not self.errors:
            raise ValidationError({"title": _("Give a title.")})
        return cleaned


# --- Inlines --------------------------------------------------------------------------------------


class SummaryInline(admin.StackedInline):
    model = TalkSummary
    fields = ("text", "materials_published_at")
    readonly_fields = ("materials_published_at",)
    max_num = 1
    min_num = 0
    can_delete = False
    verbose_name_plural = _("summary")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 8, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class RecordingInline(admin.StackedInline):
    model = Recording
    form = RecordingForm
    extra = 0
    readonly_fields = ("source", "transcript_state")
    fields = ("order", "title", "url", "video", "poster", "source", "duration_seconds", "language",
              "transcript_file", "transcript_state")  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("transcript").annotate(
            cue_count=Count("transcript__cues")
        )

    @admin.display(description=_("transcript"))
    def transcript_state(self, recording):
        transcript = getattr(recording, "transcript", None) if recording.pk else None
        if transcript is None:
            return _t("No transcript yet.")
        count = getattr(recording, "cue_count", 0)
        return ngettext("%(count)d line (%(format)s)", "%(count)d lines (%(format)s)", count) % {
            "count": count, "format": transcript.get_source_format_display(),
        }


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ("order", "kind", "title", "file", "speaker", "details")
    readonly_fields = ("details",)
    autocomplete_fields = ("speaker",)

    @admin.display(description=_("details"))
    def details(self, attachment):
        if not attachment.pk:
            return ""
        details = format_html(
            "{} · {} · {}",
            services.human_size(attachment.size_bytes),
            ngettext("%(count)d page", "%(count)d pages", attachment.page_count or 0)
            % {"count": attachment.page_count or 0},
            attachment.get_processing_display(),
        )
        if attachment.processing_error:
            details += format_html('<br><strong role="status">{}</strong>', attachment.processing_error)
        return details


class TakeawayInline(admin.TabularInline):
    model = Takeaway
    extra = 0
    fields = ("order", "kind", "text", "topic", "person")
    autocomplete_fields = ("topic", "person")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 50})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- The screen -----------------------------------------------------------------------------------


@admin.register(TalkMaterials)
class TalkMaterialsAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    change_form_template = "admin/materials/talkmaterials/change_form.html"
    list_display = ("title", "local_start", "status", "recording_count", "attachment_count",
                    "takeaway_count", "materials_state")  # fmt: skip
    list_filter = ("status", "series", ("summary__materials_published_at", admin.EmptyFieldListFilter))
    list_select_related = ("series", "summary")
    search_fields = ("title",)
    date_hierarchy = "start"
    ordering = ("-start",)
    fields = ("talk_link", "when", "status", "materials_state")
    readonly_fields = fields
    inlines = (RecordingInline, AttachmentInline, SummaryInline, TakeawayInline)
    actions = ("publish_materials", "unpublish_materials")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            recording_total=Count("recordings", distinct=True),
            attachment_total=Count("attachments", distinct=True),
            takeaway_total=Count("takeaways", distinct=True),
        )

    def has_add_permission(self, request):
        return False  # talks are planned in Talks; this screen completes them

    def has_delete_permission(self, request, obj=None):
        return False  # deleting here would delete the talk itself

    # Columns and read-only facts.

    @admin.display(description=_("talk"))
    def talk_link(self, talk):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>', talk.get_absolute_url(), _t("view on site"),
            reverse("admin:talks_talk_change", args=[talk.pk]), _t("edit the talk"),
        )

    @admin.display(description=_("start"), ordering="start")
    def local_start(self, talk):
        return back_office_datetime(talk.start, ZoneInfo(talk.zone_name))

    when = local_start

    @admin.display(description=_("recordings"), ordering="recording_total")
    def recording_count(self, talk):
        return talk.recording_total

    @admin.display(description=_("slides"), ordering="attachment_total")
    def attachment_count(self, talk):
        return talk.attachment_total

    @admin.display(description=_("takeaways"), ordering="takeaway_total")
    def takeaway_count(self, talk):
        return talk.takeaway_total

    @admin.display(description=_("materials"))
    def materials_state(self, talk):
        summary = getattr(talk, "summary", None)
        if summary and summary.materials_published_at:
            return _t("Published %(date)s") % {"date": dateformat.format(summary.materials_published_at, "j M Y")}
        return _t("Not published")

    # Saving: transcripts are parsed in the form, stored here; PDFs are read in the worker.

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if not inline_form.instance.pk or inline_form in formset.deleted_forms:
                continue
            if getattr(inline_form, "parsed_transcript", None):
                services.replace_transcript(inline_form.instance, inline_form.parsed_transcript)
            if formset.model is Attachment and new_upload(inline_form, "file"):
                tasks.enqueue_extraction(inline_form.instance.pk)

    def response_change(self, request, obj):
        if "_publish_materials" in request.POST:
            self.publish_materials(request, TalkMaterials.objects.filter(pk=obj.pk))
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # The size guard sits in front of the change view, before the body is read.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        guarded = path(
            "<path:object_id>/change/",
            self.admin_site.admin_view(self.size_guarded(self.change_view)),
            name="%s_%s_change" % info,
        )
        return [guarded, *super().get_urls()]

    @staticmethod
    def size_guarded(view):
        """Install the size limit before anything reads the body. CSRF is still checked: the
        change view itself is csrf-protected; only the middleware's early read is skipped."""

        @csrf_exempt
        def guarded(request, *args, **kwargs):
            if request.method == "POST":
                request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
                request.FILES  # noqa: B018 - parse now, with the limit in place
                if getattr(request, "materials_upload_refused", None):
                    return refuse_oversized(request, request.path)
            return view(request, *args, **kwargs)

        return guarded

    # Actions.

    @admin.action(description=_("Publish materials (and notify registrants)"), permissions=["change"])
    def publish_materials(self, request, queryset):
        published, skipped = 0, []
        for talk in queryset:
            try:
                published += services.publish_materials(talk)
            except services.NotPublishable as refusal:
                skipped.append(str(refusal))
        if published:
            self.message_user(request, ngettext(
                "Materials of %(count)d talk published.", "Materials of %(count)d talks published.",
                published) % {"count": published}, messages.SUCCESS)
        for reason in skipped:
            self.message_user(request, reason, messages.WARNING)
        if not published and not skipped:
            self.message_user(request, _t("These materials were already published."), messages.INFO)

    @admin.action(description=_("Unpublish materials"), permissions=["change"])
    def unpublish_materials(self, request, queryset):
        count = sum(services.unpublish_materials(talk) for talk in queryset)
        self.message_user(request, ngettext(
            "Materials of %(count)d talk taken offline.", "Materials of %(count)d talks taken offline.",
            count) % {"count": count}, messages.SUCCESS)
