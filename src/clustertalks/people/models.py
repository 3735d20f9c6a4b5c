from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clustertalks.core.links import slug_url
from clustertalks.core.slugs import unique_slug

from . import naming

# Square WebP renditions of a speaker's photo, made by the worker (people/tasks.py): 96 px for
# cards and speaker lists (192 px on dense screens), 400 px for the person's page.
PHOTO_SIZES = (96, 192, 400)
RENDITION_FIELDS = tuple(f"photo_{size}" for size in PHOTO_SIZES)


class SluggedModel(models.Model):
    """A row with a public page whose address is made from its name once, then kept."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)

    class Meta:
        abstract = True

    def slug_source(self) -> str:
        return str(self)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.slug_source(), instance_pk=self.pk)
        super().save(*args, **kwargs)


class Organisation(SluggedModel):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster organisation")
        CLUSTER_NETWORK = "network", _("Cluster network")
        PUBLIC_AUTHORITY = "authority", _("Public authority")
        EU_BODY = "eu", _("EU institution or body")
        COMPANY = "company", _("Company")
        RESEARCH = "research", _("Research or university")
        AGENCY = "agency", _("Agency")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        help_text=_("For example DG GROW is part of the European Commission."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    is_sample = models.BooleanField(
        _("generated sample"), default=False, help_text=_("Made up by the demo data generator.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return slug_url("people:organisation", self.slug)

    @property
    def full_name(self) -> str:
        """The name with the body it belongs to: "DG GROW, European Commission"."""
        return f"{self}, {self.parent.name}" if self.parent_id else str(self)


class Person(SluggedModel):
    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Other or non-binary")

    name = models.CharField(_("name"), max_length=200)
    sort_name = models.CharField(
        _("sort name"), max_length=200, blank=True, help_text=_("Family name first; optional.")
    )
    bio = models.TextField(_("biography"), blank=True, help_text=_("Markdown."))
    photo = models.ImageField(
        _("photo"), upload_to="people/", blank=True,
        help_text=_("JPEG, PNG or WebP, at most 10 MB, at least 200 × 200 px. It is cropped to a "
                    "square around its centre; until the small versions are ready, pages show "
                    "the person's initials."),
    )
    photo_alt = models.CharField(
        _("photo description"), max_length=200, blank=True,
        help_text=_("What the photo shows, for people who cannot see it, for example "
                    "\"Søren Andersen speaking at a conference\". Empty: the person's name."),
    )
    # Made from `photo` by the worker; empty until then (pages show initials meanwhile).
    photo_96 = models.ImageField(upload_to="people/renditions/", blank=True, editable=False)
    photo_192 = models.ImageField(upload_to="people/renditions/", blank=True, editable=False)
    photo_400 = models.ImageField(upload_to="people/renditions/", blank=True, editable=False)
    sort_key = models.CharField(
        _("sorted as"), max_length=200, blank=True, editable=False, db_index=True,
        help_text=_("The sort name, or the name's last word first, without accents."),
    )
    current_position = models.CharField(_("current position"), max_length=250, blank=True)
    current_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("current organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="current_people",
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True,
        help_text=_("Optional, only where the person agreed to it: counted in the series "
                    "statistics as totals, never shown on the person's page."),
    )
    is_sample = models.BooleanField(
        _("generated sample"), default=False, help_text=_("Made up by the demo data generator.")
    )

    class Meta:
        ordering = ["sort_key", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("people:person", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        person = super().from_db(db, field_names, values)
        person._stored_photo = _file_name(person.__dict__["photo"]) if "photo" in person.__dict__ else None
        return person

    def save(self, *args, **kwargs):
        """Keeps the sort key in step with the name, and when the photo changes drops the old
        renditions (django-cleanup deletes their files) and asks the worker for new ones."""
        self.sort_key = naming.sort_key(self.name, self.sort_name)
        photo_changed = self._photo_changed()
        old_renditions = []
        if photo_changed:
            old_renditions = [getattr(self, f).name for f in RENDITION_FIELDS if getattr(self, f)]
            for field in RENDITION_FIELDS:
                setattr(self, field, "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = ["sort_key", *(RENDITION_FIELDS if photo_changed else ())]
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)
        self._stored_photo = self.photo.name or ""
        if old_renditions:  # django-cleanup only sees names it read when the row was loaded
            storage = self.photo.storage
            transaction.on_commit(lambda: [storage.delete(name) for name in old_renditions])
        if photo_changed and self.photo:
            from .tasks import enqueue_photo_renditions

            enqueue_photo_renditions(self.pk, self.photo.name)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        if "photo" in self.__dict__:
            self._stored_photo = _file_name(self.__dict__["photo"])

    def _photo_changed(self) -> bool:
        stored = getattr(self, "_stored_photo", "")
        if stored is None:  # the photo was not loaded (a deferred field): not changed here
            return False
        return (self.photo.name or "") != stored

    @property
    def has_photo(self) -> bool:
        """True once the renditions exist: before that, pages show the initials."""
        return bool(self.photo and self.photo_96 and self.photo_192 and self.photo_400)

    @property
    def initials(self) -> str:
        return naming.initials(self.name)

    @property
    def avatar_colour(self) -> int:
        return naming.avatar_colour_index(self.name)

    @property
    def photo_description(self) -> str:
        return self.photo_alt or self.name


def _file_name(value) -> str:
    return (getattr(value, "name", value) or "") if value else ""


class Honour(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="honours")
    title = models.CharField(
        _("title"), max_length=250, help_text=_("For example: European Cluster Manager of the Year")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self) -> str:
        return f"{self.title} {self.year}" if self.year else self.title


class PersonLink(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=80, help_text=_("For example: LinkedIn"))
    url = models.URLField(_("address"))

    class Meta:
        ordering = ["label"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """A person's part in one talk, with the position and organisation they held then."""

    class Role(models.TextChoices):
        KEYNOTE = "keynote", _("Keynote speaker")
        SPEAKER = "speaker", _("Speaker")
        PANELLIST = "panellist", _("Panellist")
        MODERATOR = "moderator", _("Moderator")
        HOST = "host", _("Host")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="participations"
    )
    talk = models.ForeignKey(
        "talks.Talk", verbose_name=_("talk"), on_delete=models.CASCADE, related_name="participations"
    )
    agenda_item = models.ForeignKey(
        "talks.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    position = models.CharField(_("position at the time"), max_length=250, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation at the time"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        # What organisers call them: the speakers (and hosts, moderators...) of a talk.
        verbose_name = _("speaker or role")
        verbose_name_plural = _("speakers and roles")
        # A person's or an organisation's talks come from the index alone (person and
        # organisation pages, the archive's speaker and organisation filters).
        indexes = [
            models.Index(fields=["person", "talk"], name="participation_person_talk_idx"),
            models.Index(fields=["organisation", "talk"], name="participation_org_talk_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"
