"""Back office of roles: who organises which series (administrators only), and the mixin
that limits every series-bound admin screen to a series organiser's own series."""

from django.contrib import admin
from django.contrib.admin.filters import RelatedOnlyFieldListFilter

from . import services
from .models import SeriesAssignment


class SeriesScopedAdmin:
    """Mix into a ModelAdmin of a series-bound model (see services.SERIES_PATHS): a series
    organiser lists, opens, changes, exports and acts on objects of their series only, and can
    choose only their series (or talks of them) in forms and filters."""

    def get_queryset(self, request):
        return services.scope(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and services.is_series_limited(request.user):
            related = db_field.related_model
            if services.series_paths(related):
                field.queryset = services.scope(request.user, field.queryset)
                if db_field.name == "series" and services.series_paths(self.model) == ("series",):
                    field.required = True  # a talk outside every series is outside theirs
        return field

    def get_list_filter(self, request):
        """Filters list only what the user may reach, never other series' talk titles."""
        filters = super().get_list_filter(request)
        if not services.is_series_limited(request.user):
            return filters
        return [self.scoped_filter(item) for item in filters]

    def scoped_filter(self, item):
        if not isinstance(item, str) or "__" in item:
            return item
        field = self.model._meta.get_field(item)
        if field.is_relation and field.related_model and services.series_paths(field.related_model):
            return (item, RelatedOnlyFieldListFilter)
        return item


class AdministratorsOnly:
    """A screen for administrators, whatever permissions a group was given by hand."""

    def has_module_permission(self, request):
        return services.is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return services.is_administrator(request.user)

    def has_add_permission(self, request):
        return services.is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return services.is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return services.is_administrator(request.user)


@admin.register(SeriesAssignment)
class SeriesAssignmentAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["user", "series", "created_at"]
    list_filter = ["series"]
    search_fields = ["user__username", "user__email", "series__name"]
    autocomplete_fields = ["user", "series"]
