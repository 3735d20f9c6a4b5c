from django.utils.translation import gettext_lazy as _

from clustertalks.talks.models import Series


class SeriesRecap(Series):
    """A series seen from the recap dossier screen (no table of its own; its view permission
    is what lets an organiser open the dossiers)."""

    class Meta:
        proxy = True
        verbose_name = _("recap dossier")
        verbose_name_plural = _("recap dossiers")
