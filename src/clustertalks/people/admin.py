"""The people room of the back office: speakers, their organisations, and merging duplicates."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clustertalks.audit import services as audit
from clustertalks.backoffice.filters import CountriesPresentFilter
from clustertalks.roles.admin import SeriesScopedAdmin

from .forms import PersonForm
from .models import Honour, Organisation, Participation, Person, PersonLink
from . import services
from .services import merge_people

HTTPS_BY_DEFAULT = {models.URLField: {"assume_scheme": "https"}}


class MergeAdminMixin:
    """The merge action's flow, shared by people and organisations: at least two selected, the
    rows a merge would change all within the user's reach (a series organiser cannot move
    another series' talks), a confirmation page with the duplicates side by side, then the
    merge, an audit entry, and a message."""

    merge_template = "admin/people/merge_confirmation.html"

    def merge_selected(self, request, queryset):
        items = self.side_by_side(queryset)
        texts = self.merge_texts(len(items), max(len(items) - 1, 0))
        if len(items) < 2:
            self.message_user(request, texts["too_few"], messages.WARNING)
            return None
        blocked = services.relations_out_of_reach(request.user, self.model, items)
        if blocked:
            self.message_user(request, _t(
                "These cannot be merged by you: they have %(what)s in series you do not "
                "organise. Ask an administrator.") % {"what": ", ".join(blocked)}, messages.ERROR)
            return None
        if request.POST.get("post") == "yes":
            keep = next((i for i in items if i.pk == selected_pk(request.POST.get("keep"))), None)
            if keep is not None:
                return self.merge_into(request, keep, items)
            self.message_user(request, texts["choose"], messages.ERROR)
        return self.merge_confirmation(request, items, texts)

    def merge_into(self, request, keep, items):
        others = [i for i in items if i.pk != keep.pk]
        merged = [{"id": i.pk, "name": str(i)} for i in others]
        count = self.merge(keep, others)
        audit.record(request, audit.Action.MERGED, keep, detail={"merged": merged})
        self.message_user(request, self.merged_message(count, keep), messages.SUCCESS)
        return None

    def merge_confirmation(self, request, items, texts):
        context = {
            **self.admin_site.each_context(request),
            "title": texts["title"],
            "intro": texts["intro"],
            "opts": self.model._meta,
            "items": items,
            "keep_pk": items[0].pk,
            "card_template": self.merge_card_template,
            "action_name": self.merge_action_name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.merge_template, context)


@admin.register(Organisation)
class OrganisationAdmin(MergeAdminMixin, admin.ModelAdmin):
    list_display = ("name", "acronym", "kind", "country", "parent")
    list_filter = ("kind", CountriesPresentFilter)
    list_select_related = ("parent",)
    search_fields = ("name", "acronym")
    autocomplete_fields = ("parent",)
    formfield_overrides = HTTPS_BY_DEFAULT
    actions = ("merge_selected_organisations",)
    merge_action_name = "merge_selected_organisations"
    merge_card_template = "admin/people/_organisation_card.html"
    fieldsets = (
        (None, {"fields": ("name", "acronym", "kind", "country", "parent")}),
        (_("Public page"), {"fields": ("slug", "website", "description")}),
        (_("Record"), {"fields": ("is_sample",), "classes": ("collapse",)}),
    )

    @admin.action(description=_("Merge selected organisations"), permissions=["change", "delete"])
    def merge_selected_organisations(self, request, queryset):
        return self.merge_selected(request, queryset)

    def side_by_side(self, queryset):
        return services.organisations_side_by_side(queryset)

    def merge(self, keep, others) -> int:
        return services.merge_organisations(keep, others)

    def merge_texts(self, count: int, others: int) -> dict:
        return {
            "title": ngettext("Merge %(count)d organisation", "Merge %(count)d organisations",
                              count) % {"count": count},
            "intro": ngettext(
                "Choose the organisation to keep. The other one is merged into it: its people, "
                "talks, units and series move over, empty fields are filled in, then it is "
                "deleted.",
                "Choose the organisation to keep. The other %(others)d are merged into it: their "
                "people, talks, units and series move over, empty fields are filled in, then "
                "they are deleted.", others) % {"others": others},
            "too_few": _t("Select at least two organisations to merge."),
            "choose": _t("Choose the organisation to keep."),
        }

    def merged_message(self, count, keep) -> str:
        return ngettext("Merged %(count)d organisation into %(keep)s.",
                        "Merged %(count)d organisations into %(keep)s.", count) % {
            "count": count, "keep": keep}


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
class PersonAdmin(MergeAdminMixin, admin.ModelAdmin):
    form = PersonForm  # photos checked by content, size and dimensions
    list_display = ("name", "current_organisation", "talk_count", "is_sample")
    ordering = ("sort_key", "name")
    list_filter = ("is_sample",)
    list_select_related = ("current_organisation",)
    search_fields = ("name", "sort_name")
    autocomplete_fields = ("current_organisation",)
    inlines = (HonourInline, PersonLinkInline)
    actions = ("merge_selected_people",)
    fieldsets = (
        (None, {"fields": ("name", "sort_name", "current_position", "current_organisation")}),
        (_("Public page"), {"fields": ("slug", "bio", "photo", "photo_alt", "photo_on_pages")}),
        (_("Record"), {"fields": ("gender", "is_sample"), "classes": ("collapse",)}),
    )
    readonly_fields = ("photo_on_pages",)

    def get_fieldsets(self, request, obj=None):
        """The "+" pop-up of the talk form asks only what the talk needs, once: the name, and
        the position and organisation that then fill the speaker's row."""
        if obj is None and IS_POPUP_VAR in request.GET:
            return ((None, {"fields": ("name", "current_position", "current_organisation")}),)
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request):
        return with_talk_counts(super().get_queryset(request))

    @admin.display(description=_("shown on pages"))
    def photo_on_pages(self, person):
        """What visitors see now: the small version, or why they still see initials."""
        if person.has_photo:
            return format_html(
                '<img src="{}" width="96" height="96" alt="" class="avatar-preview"> {}',
                person.photo_96.url, _t("The small versions are ready."),
            )
        if person.photo:
            return _t("Initials, until the worker has made the small versions of the photo "
                      "(usually within a minute).")
        return _t("Initials (no photo).")

    @admin.display(description=_("talks"), ordering="talk_count")
    def talk_count(self, person):
        return person.talk_count

    @admin.action(description=_("Merge selected people"), permissions=["change", "delete"])
    def merge_selected_people(self, request, queryset):
        return self.merge_selected(request, queryset)

    merge_action_name = "merge_selected_people"
    merge_card_template = "admin/people/_person_card.html"

    def side_by_side(self, queryset):
        people = services.people_side_by_side(queryset)
        for person in people:
            person.talks = services.talks_of(person)
            person.positions = services.positions_of(person)
            person.organisations = services.organisations_of(person)
        return people

    def merge(self, keep, others) -> int:
        return merge_people(keep, others)

    def merge_texts(self, count: int, others: int) -> dict:
        return {
            "title": ngettext("Merge %(count)d person", "Merge %(count)d people", count) % {"count": count},
            "intro": ngettext(
                "Choose the person to keep. The other one is merged into them: their talks, "
                "honours and links move over, empty fields are filled in, then it is deleted.",
                "Choose the person to keep. The other %(others)d are merged into them: their "
                "talks, honours and links move over, empty fields are filled in, then they are "
                "deleted.", others) % {"others": others},
            "too_few": _t("Select at least two people to merge."),
            "choose": _t("Choose the person to keep."),
        }

    def merged_message(self, count, keep) -> str:
        return ngettext("Merged %(count)d person into %(keep)s.",
                        "Merged %(count)d people into %(keep)s.", count) % {"count": count, "keep": keep}


@admin.register(Participation)
class ParticipationAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    list_display = ("person", "talk", "role", "organisation")
    list_filter = ("role",)
    list_select_related = ("person", "talk", "organisation")
    search_fields = ("person__name", "talk__title")
    autocomplete_fields = ("person", "talk", "organisation")
    raw_id_fields = ("agenda_item",)
