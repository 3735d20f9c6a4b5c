"""The search index: one row per findable piece of the archive.

A row is a *document*: a talk, a person, an organisation, a takeaway, a summary, one page of
slides, or one passage (~30 s) of a transcript. Rows are written with the ORM only; the database
keeps its full-text structure in step by itself, with triggers made by this app's migrations:

- SQLite: the FTS5 table ``search_fts`` (external content: it indexes ``title`` and ``body`` of
  this table without copying them).
- PostgreSQL: the column ``vector`` (a weighted, unaccented tsvector) with a GIN index; it is not
  a model field, so the ORM never reads or writes it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        TAKEAWAY = "takeaway", _("Key takeaway")
        SUMMARY = "summary", _("Summary")
        PERSON = "person", _("Speaker")
        ORGANISATION = "organisation", _("Organisation")
        SLIDE = "slide", _("Slide")
        PASSAGE = "passage", _("Transcript")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(
        _("object id"), help_text=_("The row it was made from (a cue's id for a passage).")
    )
    talk = models.ForeignKey(
        "talks.Talk", verbose_name=_("talk"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="search_documents",
    )
    url = models.CharField(_("address"), max_length=400, help_text=_("With an anchor: #t=754, #page=4."))
    heading = models.CharField(_("heading"), max_length=300, help_text=_("Shown as the result's link."))
    title = models.CharField(_("indexed title"), max_length=400, blank=True)
    body = models.TextField(_("indexed text"), blank=True)
    weight = models.CharField(
        _("body weight"), max_length=1, default="D",
        help_text=_("A (strongest) to D: how much a match in the body counts."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    event_type_id = models.PositiveBigIntegerField(_("event type"), null=True, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["talk", "kind"], name="search_doc_talk_kind"),
            models.Index(fields=["kind", "object_id"], name="search_doc_kind_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.heading}"
