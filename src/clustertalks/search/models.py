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


class Synonym(models.Model):
    """Words and phrases that mean the same to the people who search, managed by organisers:
    a query with any of them also finds the others ("SME" finds "small and medium-sized
    enterprises", "AI" finds "artificial intelligence")."""

    terms = models.TextField(
        _("terms"),
        help_text=_("One word, acronym or phrase per line, e.g. SME, then small and medium-sized enterprises."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return " = ".join(self.term_list())

    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.replace(",", "\n").splitlines() if line.strip()]


class TopicAlias(models.Model):
    """Another name of a topic: the importer and the API file a talk under the topic when they
    meet the alias, instead of creating a new topic ("Green transition" → "Green Deal")."""

    alias = models.CharField(_("alias"), max_length=120, unique=True)
    topic = models.ForeignKey("talks.Topic", verbose_name=_("topic"), on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["alias"]
        verbose_name = _("topic alias")
        verbose_name_plural = _("topic aliases")

    def __str__(self) -> str:
        return f"{self.alias} → {self.topic}"


class SearchWord(models.Model):
    """The index's own vocabulary (folded words), for spelling correction of queries. Words are
    added as documents are indexed and never removed: a stale word costs nothing but a term that
    matches no document."""

    word = models.CharField(_("word"), max_length=60, unique=True)
    length = models.PositiveSmallIntegerField(_("length"))
    first = models.CharField(_("first letter"), max_length=1)

    class Meta:
        verbose_name = _("indexed word")
        verbose_name_plural = _("indexed words")
        indexes = [models.Index(fields=["first", "length"], name="search_word_first_length")]

    def __str__(self) -> str:
        return self.word


class SearchVector(models.Model):
    """A document's meaning as a multilingual embedding, quantised to int8 (384 bytes plus a
    scale), computed by the worker after the document is indexed (see search/semantic.py)."""

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="vector_row"
    )
    vector = models.BinaryField(_("vector (int8)"))
    scale = models.FloatField(_("scale"))

    class Meta:
        verbose_name = _("search vector")
        verbose_name_plural = _("search vectors")
