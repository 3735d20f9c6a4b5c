from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clustertalks.audit import services as audit
from clustertalks.roles import services as roles

from . import services, webhooks
from .models import ApiToken, ImportedTalk, WebhookDelivery, WebhookEndpoint


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "scope", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scope", "expires_at"]
        return ["user", "name", "scope", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "prefix", "created_at", "last_used_at", "scope"] if obj else []

    def get_changeform_initial_data(self, request):
        return {"user": request.user.pk}

    # A token is created for oneself; only an administrator creates or sees others' tokens.

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        return tokens if roles.is_administrator(request.user) else tokens.filter(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not roles.is_administrator(request.user):
            kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            services.check_issuer(request.user, obj.user)
            request._new_api_token = services.fill_new_secret(obj)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """Show the token once, on this page only: it is stored as a digest and cannot be shown again."""
        plain = getattr(request, "_new_api_token", None)
        if plain is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "token": obj, "plain": plain,
                   "opts": self.model._meta, "title": _("Copy your new API token")}
        response = TemplateResponse(request, "admin/api/apitoken/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        from django.utils import timezone

        usable = list(queryset.filter(revoked_at__isnull=True))
        count = queryset.filter(pk__in=[t.pk for t in usable]).update(revoked_at=timezone.now())
        audit.record_many(request, audit.Action.REVOKED, usable)
        self.message_user(request, ngettext("%d token revoked.", "%d tokens revoked.", count) % count)


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("address"), max_length=500, assume_scheme="https",
                         help_text=WebhookEndpoint._meta.get_field("url").help_text)
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEndpoint.Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "secret", "active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at", "delivered_at", "created_at"]
    list_filter = ["status", "event", "endpoint"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry selected deliveries now"), permissions=["view"])
    def retry(self, request, queryset):
        count = webhooks.retry_now(queryset)
        self.message_user(request, ngettext("%d delivery queued.", "%d deliveries queued.", count) % count, messages.SUCCESS)


@admin.register(ImportedTalk)
class ImportedTalkAdmin(admin.ModelAdmin):
    list_display = ["source", "external_id", "talk", "imported_at"]
    search_fields = ["external_id", "talk__title"]
    readonly_fields = ["source", "external_id", "talk", "imported_at"]

    def has_add_permission(self, request):
        return False
