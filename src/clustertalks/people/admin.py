"""The people room of the back office: speakers, their organisations, and merging duplicates."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clustertalks.audit import services as audit
from clustertalks.backoffice.filters import CountriesPresentFilter
from clustertalks.roles.admin import SeriesScopedAdmin

from .models import Honour, Organisation, Participation, Person, PersonLink
from .services import merge_people

MERGE_TEMPLATE = "admin/people/person/merge_confirmation.html"
HTTPS_BY_DEFAULT = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "kind", "country", "parent")
    list_filter = ("kind", CountriesPresentFilter)
    list_select_related = ("parent",)
    search_fields = ("name", "acronym")
    autocomplete_fields = ("parent",)
    formfield_overrides = HTTPS_BY_DEFAULT
    fieldsets = (
        (None, {"fields": ("name", "acronym", "kind", "country", "parent")}),
        (_("Public page"), {"fields": ("slug", "website", "description")}),
        (_("Record"), {"fields": ("is_sample",), "classes": ("collapse",)}),
    )


class HonourInline(admin.TabularInline):
    model = Honour
    extra = 0


class PersonLinkInline(admin.TabularInline):
    model = PersonLink
    extra = 0
    formfield_overrides = HTTPS_BY_DEFAULT


def with_talk_counts(queryset):
    return queryset.annotate(talk_count=Count("participations__talk", distinct=True))


def selected_pk(value) -> int | None:
    """The primary key posted as `value`, or None when it is not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "current_organisation", "talk_count", "is_sample")
    ordering = ("sort_name", "name")
    list_filter = ("is_sample",)
    list_select_related = ("current_organisation",)
    search_fields = ("name", "sort_name")
    autocomplete_fields = ("current_organisation",)
    inlines = (HonourInline, PersonLinkInline)
    actions = ("merge_selected_people",)
    fieldsets = (
        (None, {"fields": ("name", "sort_name", "current_position", "current_organisation")}),
        (_("Public page"), {"fields": ("slug", "bio", "photo", "photo_alt")}),
        (_("Record"), {"fields": ("gender", "is_sample"), "classes": ("collapse",)}),
    )

    def get_fieldsets(self, request, obj=None):
        """The "+" pop-up of the talk form asks only what the talk needs, once: the name, and
        the position and organisation that then fill the speaker's row."""
        if obj is None and IS_POPUP_VAR in request.GET:
            return ((None, {"fields": ("name", "current_position", "current_organisation")}),)
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request):
        return with_talk_counts(super().get_queryset(request))

    @admin.display(description=_("talks"), ordering="talk_count")
    def talk_count(self, person):
        return person.talk_count

    @admin.action(description=_("Merge selected people"), permissions=["change", "delete"])
    def merge_selected_people(self, request, queryset):
        people = list(
            with_talk_counts(queryset)
            .annotate(participation_count=Count("participations", distinct=True))
            .select_related("current_organisation")
            .order_by("-participation_count", "pk")
        )
        if len(people) < 2:
            self.message_user(request, _t("Select at least two people to merge."), messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            keep = next((p for p in people if p.pk == selected_pk(request.POST.get("keep"))), None)
            if keep is not None:
                return self.merge_into(request, keep, people)
            self.message_user(request, _t("Choose the person to keep."), messages.ERROR)
        return self.merge_confirmation(request, people)

    def merge_into(self, request, keep, people):
        others = [p for p in people if p.pk != keep.pk]
        merged = [{"id": p.pk, "name": p.name} for p in others]
        count = merge_people(keep, others)
        audit.record(request, audit.Action.MERGED, keep, detail={"merged": merged})
        message = ngettext(
            "Merged %(count)d person into %(keep)s.",
            "Merged %(count)d people into %(keep)s.",
            count,
        ) % {"count": count, "keep": keep}
        self.message_user(request, message, messages.SUCCESS)
        return None

    def merge_confirmation(self, request, people):
        context = {
            **self.admin_site.each_context(request),
            "title": _t("Merge people"),
            "opts": self.model._meta,
            "people": people,
            "keep_pk": people[0].pk,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, MERGE_TEMPLATE, context)


@admin.register(Participation)
class ParticipationAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    list_display = ("person", "talk", "role", "organisation")
    list_filter = ("role",)
    list_select_related = ("person", "talk", "organisation")
    search_fields = ("person__name", "talk__title")
    autocomplete_fields = ("person", "talk", "organisation")
    raw_id_fields = ("agenda_item",)
