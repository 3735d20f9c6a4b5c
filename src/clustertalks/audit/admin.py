"""The audit trail in the back office: administrators read it; nobody edits it."""

from django.contrib import admin

from clustertalks.roles import services as roles

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "via", "action", "content_type", "object_repr"]
    list_filter = ["action", "via", "content_type"]
    search_fields = ["object_repr", "actor_name", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    fields = ["at", "actor", "actor_name", "via", "action", "content_type", "object_id",
              "object_repr", "changes", "detail"]
    readonly_fields = fields

    def has_module_permission(self, request):
        return roles.is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return roles.is_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # entries leave only by the retention sweep

    def get_actions(self, request):
        return {}
