"""List filters of the back office."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class CountriesPresentFilter(admin.SimpleListFilter):
    """A country filter that lists only the countries found in the rows the user may see
    (a handful, not the ~250 of the world); one query."""

    title = _("country")
    parameter_name = "country"
    field_name = "country"

    def lookups(self, request, model_admin):
        codes = (model_admin.get_queryset(request).order_by().exclude(**{self.field_name: ""})
                 .values_list(self.field_name, flat=True).distinct())
        names = dict(countries)
        return sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(**{self.field_name: value.upper()[:2]})
