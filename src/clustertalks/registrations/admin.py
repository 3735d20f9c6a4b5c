"""Back office: registration policies, registrations per talk (filters, counts by state, bulk
approve/reject, CSV export) and the attendance import."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clustertalks.audit import services as audit
from clustertalks.backoffice.dates import back_office_date
from clustertalks.backoffice.filters import CountriesPresentFilter
from clustertalks.roles import services as roles
from clustertalks.roles.admin import SeriesScopedAdmin
from clustertalks.talks.models import Talk

from . import services
from .models import Registration, RegistrationPolicy

MAX_ATTENDANCE_FILE = 5 * 1024 * 1024


@admin.register(RegistrationPolicy)
class RegistrationPolicyAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "is_open", "approval", "eligibility", "capacity", "reminders"]
    autocomplete_fields = ["talk"]
    fieldsets = [
        (None, {"fields": ["series", "talk"]}),
        (_("Rules"), {"fields": ["is_open", "closes_at", "approval", "capacity", "reminders"]}),
        (_("Eligibility"), {"fields": ["eligibility", "countries"]}),
    ]

    def save_model(self, request, obj, form, change):
        """A raised capacity gives the new places to the waiting list at once."""
        super().save_model(request, obj, form, change)
        talks = [obj.talk] if obj.talk_id else Talk.objects.filter(series=obj.series).upcoming()
        promoted = sum(services.promote_waitlist(talk) for talk in talks)
        if promoted:
            self.message_user(request, ngettext(
                "%(n)d person moved from the waiting list to approved.",
                "%(n)d people moved from the waiting list to approved.", promoted) % {"n": promoted})


class AttendanceForm(forms.Form):
    talk = forms.ModelChoiceField(queryset=Talk.objects.published(), label=_("Talk"))
    file = forms.FileField(label=_("Attendance CSV (Zoom or Teams export)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talk"].queryset = roles.scope(user, Talk.objects.published())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTENDANCE_FILE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


@admin.register(Registration)
class RegistrationAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    # What an organiser scans at 1280 px; organisation, attendance and consent are in the
    # filters and on each registration.
    list_display = ["name", "email", "talk", "status", "registered_on"]
    list_filter = ["status", "attended", "objects_to_recording", "newsletter", "organisation_type",
                   CountriesPresentFilter, ("talk", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["talk"]
    readonly_fields = ["token", "created_at", "decided_at", "cancelled_at", "consented_at",
                       "anonymised_at", "status"]
    actions = ["approve", "reject", "export_csv"]
    change_list_template = "admin/registrations/registration/change_list.html"

    @admin.display(description=_("registered"), ordering="created_at")
    def registered_on(self, registration):
        return back_office_date(timezone.localdate(registration.created_at))

    def get_urls(self):
        extra = [path("import-attendance/", self.admin_site.admin_view(self.import_attendance),
                      name="registrations_registration_import_attendance")]
        return extra + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "can_import_attendance": roles.can_import_attendance(request.user)}
        response = super().changelist_view(request, extra_context)
        if hasattr(response, "context_data") and "cl" in response.context_data:
            rows = (response.context_data["cl"].queryset.order_by().values("status")
                    .annotate(n=Count("pk")))
            found = {row["status"]: row["n"] for row in rows}
            counts = {label: found.get(value, 0) for value, label in Registration.Status.choices}
            response.context_data["status_counts"] = counts
        return response

    @admin.action(description=_("Approve selected registrations (up to the capacity)"),
                  permissions=["change"])
    def approve(self, request, queryset):
        outcome = services.decide(list(queryset.values_list("pk", flat=True)), approve=True)
        self.message_user(request, _("%(approved)d approved, %(waitlisted)d put on the waiting "
                                     "list.") % {"approved": outcome["approved"],
                                                 "waitlisted": outcome["waitlisted"]})

    @admin.action(description=_("Reject selected registrations"), permissions=["change"])
    def reject(self, request, queryset):
        outcome = services.decide(list(queryset.values_list("pk", flat=True)), approve=False)
        self.message_user(request, ngettext("%(n)d registration rejected.",
                                            "%(n)d registrations rejected.",
                                            outcome["rejected"]) % {"n": outcome["rejected"]})

    @admin.action(description=_("Export selected registrations as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        if not roles.sees_personal_data(request.user):
            raise PermissionDenied
        audit.record(request, audit.Action.EXPORTED, Registration,
                     detail={"count": queryset.count(), "format": "csv"})
        response = HttpResponse(services.export_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="registrations.csv"'
        return response

    def import_attendance(self, request):
        """Needs the right to change registrations (and the talk's series): the outcome
        tells whether addresses are registered."""
        if not roles.can_import_attendance(request.user):
            raise PermissionDenied
        form = AttendanceForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            talk = form.cleaned_data["talk"]
            if not roles.can_import_attendance(request.user, talk):
                raise PermissionDenied
            matched, unknown = services.import_attendance(talk, form.cleaned_data["file"].read())
            audit.record(request, audit.Action.IMPORTED, talk,
                         detail={"what": "attendance", "matched": matched, "unknown": unknown})
            self.message_user(request, _("%(matched)d registrations marked as attended; "
                                         "%(unknown)d addresses in the file were not registered.")
                              % {"matched": matched, "unknown": unknown}, messages.SUCCESS)
            return redirect(reverse("admin:registrations_registration_changelist")
                            + f"?talk__id__exact={form.cleaned_data['talk'].pk}")
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("Import attendance")}
        return render(request, "admin/registrations/registration/import_attendance.html", context,
                      status=400 if request.method == "POST" else 200)
