from django.contrib import admin

from .models import Synonym, TopicAlias


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]


@admin.register(TopicAlias)
class TopicAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "topic"]
    search_fields = ["alias", "topic__name"]
    autocomplete_fields = ["topic"]
