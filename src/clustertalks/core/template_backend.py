"""Django's template backend, with `{% load i18n %}` loading core/templatetags/kept_i18n.py
(Django's i18n library, with fixed `{% translate %}` texts kept per language).

Not through TEMPLATES OPTIONS "libraries": giving the name `i18n` a second module there is
what the templates.W003 check warns about (and the deploy check must stay clean). The engine's
table of loadable libraries is changed after it is built instead; everything else is Django's.
"""

from django.template.backends.django import DjangoTemplates as DjangoBackend
from django.template.library import import_library

KEPT_I18N = "clustertalks.core.templatetags.kept_i18n"


class DjangoTemplates(DjangoBackend):
    def __init__(self, params):
        super().__init__(params)
        self.engine.template_libraries["i18n"] = import_library(KEPT_I18N)
