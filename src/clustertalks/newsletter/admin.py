"""Back office: subscribers (personal data: normal model permissions guard it), digests with
propose / preview / test / send, MailerLite CSV export and import, bounce import."""

import csv
import datetime as dt
import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clustertalks.talks.models import Series

from . import digests, exports, services
from .models import Digest, Subscriber


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))


class ProposeForm(forms.Form):
    series = forms.ModelChoiceField(Series.objects.all(), required=False,
                                    label=gettext_lazy("Series"),
                                    empty_label=gettext_lazy("Every series"))
    period_start = forms.DateField(label=gettext_lazy("From"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=gettext_lazy("To"),
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def _upload(request, model_admin, title, handle):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = handle(form.cleaned_data["file"].read())
        except services.SignupRefused as error:
            form.add_error("file", str(error))
        else:
            model_admin.message_user(request, message, messages.SUCCESS)
            return redirect("admin:newsletter_subscriber_changelist")
    context = {**model_admin.admin_site.each_context(request), "title": title, "form": form,
               "opts": model_admin.model._meta}
    return TemplateResponse(request, "admin/newsletter/upload.html", context)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "status", "follow", "language", "created_at", "confirmed_at")
    list_filter = ("status", "follow", "language", "source")
    search_fields = ("email", "name")
    readonly_fields = ("token", "created_at", "consented_at", "confirmed_at", "unsubscribed_at")
    filter_horizontal = ("topics",)
    change_list_template = "admin/newsletter/subscriber_changelist.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="newsletter_subscriber_export"),
            path("import/", view(self.import_view), name="newsletter_subscriber_import"),
            path("suppress/", view(self.suppress_view), name="newsletter_subscriber_suppress"),
        ] + super().get_urls()

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(exports.export_confirmed(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers-mailerlite.csv"'
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied

        def handle(data):
            done, skipped = exports.import_mailerlite(data)
            return _("%(done)d subscribers imported, %(skipped)d skipped.") % {
                "done": done, "skipped": skipped}

        return _upload(request, self, _("Import a MailerLite export"), handle)

    def suppress_view(self, request):
        """Bounces and complaints from the mail provider: CSV with columns email,kind[,note]."""
        if not self.has_change_permission(request):
            raise PermissionDenied

        def handle(data):
            rows = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace")))
            known = 0
            for row in rows:
                if len(row) >= 2 and row[0].strip().lower() != "email":
                    known += services.record_suppression(row[0], row[1], row[2] if len(row) > 2 else "")
            return _("%(count)d addresses will receive no more email.") % {"count": known}

        return _upload(request, self, _("Record bounces and complaints"), handle)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("subject", "series", "period_start", "period_end", "status", "sent_at",
                    "recipients")
    list_filter = ("status", "series")
    fields = ("subject", "series", "period_start", "period_end", "intro", "body", "topics",
              "has_recordings", "status", "sent_at", "recipients")
    readonly_fields = ("status", "sent_at", "recipients")
    filter_horizontal = ("topics",)
    change_form_template = "admin/newsletter/digest_change_form.html"
    change_list_template = "admin/newsletter/digest_changelist.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("propose/", view(self.propose_view), name="newsletter_digest_propose"),
            path("<int:pk>/preview/", view(self.preview_view), name="newsletter_digest_preview"),
            path("<int:pk>/test/", view(self.test_view), name="newsletter_digest_test"),
            path("<int:pk>/send/", view(self.send_view), name="newsletter_digest_send"),
        ] + super().get_urls()

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.status != Digest.Status.DRAFT:
            return self.fields  # a sent digest is part of the public archive: no edits
        return self.readonly_fields

    def propose_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = ProposeForm(request.POST or None, initial={
            "period_start": today, "period_end": today + dt.timedelta(days=30),
            "series": Series.objects.first()})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            digest = digests.propose(data["period_start"], data["period_end"], data["series"])
            self.message_user(request, _("Digest proposed from the data: edit it, preview it, "
                                         "send a test, then send."), messages.SUCCESS)
            return redirect("admin:newsletter_digest_change", digest.pk)
        context = {**self.admin_site.each_context(request), "form": form,
                   "title": _("Propose a digest"), "opts": self.model._meta}
        return TemplateResponse(request, "admin/newsletter/upload.html", context)

    def preview_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        digest = get_object_or_404(Digest, pk=pk)
        response = HttpResponse(digests.render(digest, personal=False)["body_html"])
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"
        return response

    def test_view(self, request, pk):
        digest = get_object_or_404(Digest, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, digest):
            raise PermissionDenied
        if not request.user.email:
            self.message_user(request, _("Your account has no email address."), messages.ERROR)
        else:
            digests.send_test(digest, request.user.email)
            self.message_user(request, _("Test sent to %(email)s.") % {"email": request.user.email})
        return redirect("admin:newsletter_digest_change", digest.pk)

    def send_view(self, request, pk):
        digest = get_object_or_404(Digest, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, digest):
            raise PermissionDenied
        if digests.start_sending(digest):
            self.message_user(request, _("Sending to %(count)d subscribers.") % {
                "count": digests.recipients(digest).count()}, messages.SUCCESS)
        else:
            self.message_user(request, _("This digest was sent already."), messages.WARNING)
        return redirect(reverse("admin:newsletter_digest_change", args=[digest.pk]))
