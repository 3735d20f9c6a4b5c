"""Back office: the recap dossier of a series for a period (HTML, PDF, CSV of takeaways) and the
one action that turns it into the draft page of a recap talk."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clustertalks.roles.admin import SeriesScopedAdmin

from . import dossier
from .models import SeriesRecap
from .period import period_from


@admin.register(SeriesRecap)
class SeriesRecapAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    list_display = ("name", "dossier_link")
    search_fields = ("name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("dossier"))
    def dossier_link(self, obj):
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:insights_seriesrecap_dossier", args=[obj.pk]),
                           _("Open the recap dossier"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/dossier/", view(self.dossier_view), name="insights_seriesrecap_dossier"),
            path("<int:pk>/dossier/recap-talk/", view(self.recap_talk_view),
                 name="insights_seriesrecap_recap_talk"),
        ] + super().get_urls()

    def _context(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        series = get_object_or_404(self.get_queryset(request), pk=pk)  # a series organiser: theirs
        form, period = period_from(request.GET)
        return series, form, period, dossier.build(series, period)

    def dossier_view(self, request, pk):
        series, form, period, context = self._context(request, pk)
        name = f"recap-{slugify(series.name)}-{slugify(period.label)}"
        output = request.GET.get("format", "html")
        if output == "pdf":
            try:
                document = dossier.pdf(context)
            except (ImportError, OSError):  # WeasyPrint without Debian's pango
                self.message_user(request, _("PDF is not available on this server (WeasyPrint "
                                             "needs pango); print the HTML page instead."),
                                  messages.ERROR)
                return redirect(reverse("admin:insights_seriesrecap_dossier", args=[pk]))
            response = HttpResponse(document, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
            return response
        if output == "csv":
            response = HttpResponse(dossier.takeaways_csv(context), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}-takeaways.csv"'
            return response
        toolbar = render_to_string("admin/insights/_toolbar.html", {
            "series": series, "form": form, "query": request.GET.urlencode(),
            "can_create": request.user.has_perm("talks.add_talk")}, request=request)
        return HttpResponse(dossier.html(context, toolbar=mark_safe(toolbar)))  # noqa: S308

    def recap_talk_view(self, request, pk):
        if request.method != "POST" or not request.user.has_perm("talks.add_talk"):
            raise PermissionDenied
        _series, _form, _period, context = self._context(request, pk)
        talk = dossier.create_recap_talk(context)
        self.message_user(request, _("Draft recap talk created: check it, then publish."),
                          messages.SUCCESS)
        return redirect("admin:talks_talk_change", talk.pk)
