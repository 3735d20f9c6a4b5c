"""The talks room of the back office: series, talks and the terms that classify them.

Talk times are shown and typed as wall-clock times in the time zone of the talk's series:
the change form runs with that zone activated (see TalkAdmin.changeform_view)."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Count
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clustertalks.backoffice.dates import back_office_datetime
from clustertalks.branding.admin import IdentityInline
from clustertalks.people.models import Participation
from clustertalks.roles.admin import SeriesScopedAdmin

from . import services
from .models import (
    AgendaItem, Audience, EventType, Series, SeriesTranslation, Talk, TalkTranslation, Topic,
)



def known_zone(name: str) -> str:
    """`name` if it is a time zone this machine knows, else the back office's zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return settings.TIME_ZONE
    return name


def as_pk(value) -> int | None:
    """`value` (as typed in an address or a form) as a primary key, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def series_from_pk(value) -> Series | None:
    pk = as_pk(value)
    return None if pk is None else Series.objects.filter(pk=pk).first()


def talk_from_pk(value) -> Talk | None:
    pk = as_pk(value)
    return None if pk is None else Talk.objects.select_related("series").filter(pk=pk).first()


def new_talk_url(series: Series) -> str:
    return f"{reverse('admin:talks_talk_add')}?series={series.pk}"


class TalkTranslationInline(admin.StackedInline):
    """The talk's texts in other languages: visitors reading one of them see it instead of the
    original (talks/translations.py)."""

    model = TalkTranslation
    extra = 0
    fields = ("language", "title", "abstract", "summary", "takeaways")
    classes = ("collapse",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 60})}}


class SeriesTranslationInline(admin.StackedInline):
    model = SeriesTranslation
    extra = 0
    fields = ("language", "name", "tagline", "description", "boilerplate")
    classes = ("collapse",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}


class NamedTermAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(NamedTermAdmin):
    fields = ("name", "slug", "description")


@admin.register(EventType)
class EventTypeAdmin(NamedTermAdmin):
    fields = ("name", "slug")


@admin.register(Audience)
class AudienceAdmin(NamedTermAdmin):
    fields = ("name", "slug")


@admin.register(Series)
class SeriesAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    # The series' identity (name, logo, colours, introduction, hero image) and its texts in
    # other languages.
    inlines = (IdentityInline, SeriesTranslationInline)
    list_display = ("name", "time_zone", "cadence", "talk_count", "new_talk_link")
    ordering = ("name",)
    search_fields = ("name",)
    autocomplete_fields = ("organiser", "on_behalf_of")
    fieldsets = (
        (_("Identity"), {"fields": ("name", "slug", "colour")}),
        (_("Text"), {"fields": ("tagline", "description", "boilerplate")}),
        (_("Organisers"), {"fields": ("organiser", "on_behalf_of")}),
        (
            _("Cadence"),
            {
                "fields": (
                    "time_zone",
                    "cadence_weekday",
                    "cadence_start_time",
                    "cadence_interval_weeks",
                    "default_duration_minutes",
                ),
                "description": _("Used to propose the date and time of the next talk."),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(talk_count=Count("talks"))

    @admin.display(description=_("cadence"))
    def cadence(self, series):
        return ngettext(
            "Every week on %(weekday)s at %(time)s",
            "Every %(weeks)d weeks on %(weekday)s at %(time)s",
            series.cadence_interval_weeks,
        ) % {
            "weeks": series.cadence_interval_weeks,
            "weekday": series.get_cadence_weekday_display(),
            "time": series.cadence_start_time.strftime("%H:%M"),
        }

    @admin.display(description=_("talks"), ordering="talk_count")
    def talk_count(self, series):
        return series.talk_count

    @admin.display(description=_("new talk"))
    def new_talk_link(self, series):
        label = _t("New talk in this series")
        return format_html('<a href="{}">{}</a>', new_talk_url(series), label)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    ordering = ("order", "pk")
    fields = ("order", "title", "kind", "starts_at", "ends_at", "description")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}
    }


class ParticipationInline(admin.TabularInline):
    """"Speakers and roles": choosing a person fills their latest position and organisation
    (backoffice/static/backoffice/backoffice.js asks backoffice.views.person_details)."""

    model = Participation
    extra = 0
    ordering = ("order", "pk")
    fields = ("order", "person", "role", "agenda_item", "position", "organisation")
    autocomplete_fields = ("person", "organisation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agenda_item":
            kwargs["queryset"] = self.agenda_items_of_edited_talk(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # Only "+" (a new person or organisation) beside each choice, so that the row fits
        # 1280 px; people and organisations are edited on their own screens.
        widget = getattr(field, "widget", None)
        for flag in ("can_change_related", "can_delete_related", "can_view_related"):
            if hasattr(widget, flag):
                setattr(widget, flag, False)
        return field

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None else 1  # a new talk opens with a row for its first speaker

    @staticmethod
    def agenda_items_of_edited_talk(request):
        """A participation may only point at an agenda item of its own talk; a talk being
        added has none saved yet."""
        match = getattr(request, "resolver_match", None)
        talk_pk = as_pk(unquote(match.kwargs.get("object_id") or "")) if match else None
        if talk_pk is None:
            return AgendaItem.objects.none()
        return AgendaItem.objects.filter(talk_id=talk_pk)


@admin.register(Talk)
class TalkAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    list_display = ("title", "series", "local_start", "status", "is_sample")
    list_filter = ("status", "series", "event_type", "topics", "is_sample")
    list_select_related = ("series",)
    date_hierarchy = "start"
    search_fields = ("title", "abstract", "participations__person__name")
    autocomplete_fields = ("series", "event_type")
    filter_horizontal = ("topics", "audiences")
    readonly_fields = ("sequence", "created_at", "updated_at")
    inlines = (AgendaItemInline, ParticipationInline, TalkTranslationInline)
    actions = ("publish_selected", "unpublish_selected")
    view_on_site = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        return (
            (None, {"fields": ("title", "series", "status", "status_note")}),
            (_("When"), {"fields": ("start", "end"), "description": self.zone_note()}),
            (_("What"), {"fields": ("event_type", "topics", "audiences", "language", "abstract")}),
            (_("Where"), {"fields": ("attendance_mode", "venue", "city", "livestream_url")}),
            (_("Banner"), {"fields": ("banner", "banner_alt"), "classes": ("collapse",)}),
            (
                _("Private"),
                {
                    "fields": ("meeting_url",),
                    "description": _(
                        "Only for organisers and speakers: never shown on public pages, "
                        "feeds or calendars."
                    ),
                },
            ),
            (
                _("Record"),
                {
                    "fields": ("slug", "is_sample", "sequence", "created_at", "updated_at"),
                    "classes": ("collapse",),
                },
            ),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Next to the start and end: the zone the typed time is read in (the series')."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("start", "end") and field is not None:
            field.help_text = _t("Wall-clock time in %(zone)s.") % {
                "zone": timezone.get_current_timezone_name()}
        return field

    @staticmethod
    def zone_note() -> str:
        return _t(
            "Times are wall-clock times in %(zone)s, the time zone of the talk's series "
            "(%(default)s for a talk without a series). Changing the series changes the zone "
            "in which the times you type are read."
        ) % {
            "zone": escape(timezone.get_current_timezone_name()),
            "default": escape(settings.TIME_ZONE),
        }

    @admin.display(description=_("start"), ordering="start")
    def local_start(self, talk):
        return back_office_datetime(talk.start, ZoneInfo(known_zone(talk.zone_name)))

    # New talk in a series, in the series' zone.

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        series = series_from_pk(initial.pop("series", None))
        if series is not None:
            start, end = services.next_free_slot(series)
            initial.update(series=series.pk, start=start, end=end, status=Talk.Status.DRAFT)
            initial.pop("event_type", None)
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self.zone_for(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, SimpleTemplateResponse):
                response.render()  # the widgets show the times in the zone while it is active
        return response

    @staticmethod
    def zone_for(request, object_id) -> str:
        """The zone of the series being submitted, chosen on add, or of the talk edited."""
        if request.method == "POST" and "series" in request.POST:
            series = series_from_pk(request.POST["series"])
        elif object_id is None:
            series = series_from_pk(request.GET.get("series"))
        else:
            talk = talk_from_pk(unquote(object_id))
            series = talk.series if talk else None
        return known_zone(series.time_zone) if series else settings.TIME_ZONE

    def save_model(self, request, obj, form, change):
        """"Save and publish" saves and publishes a draft in one click."""
        publishing = "_publish" in request.POST and obj.status == Talk.Status.DRAFT
        if publishing:
            obj.status = Talk.Status.PUBLISHED
        super().save_model(request, obj, form, change)
        if publishing:
            self.message_user(request, _t("The talk is published."), messages.SUCCESS)

    # Actions.

    @admin.action(description=_("Publish selected talks"), permissions=["change"])
    def publish_selected(self, request, queryset):
        count = services.publish(queryset)
        message = ngettext("%(count)d talk published.", "%(count)d talks published.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        count = services.unpublish(queryset)
        message = ngettext(
            "%(count)d talk taken back to draft.", "%(count)d talks taken back to draft.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
