from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clustertalks.core.links import slug_url
from clustertalks.core.slugs import unique_slug


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
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    photo_alt = models.CharField(_("photo description"), max_length=200, blank=True)
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
        ordering = ["sort_name", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("people:person", self.slug)


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
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        # A person's or an organisation's talks come from the index alone (person and
        # organisation pages, the archive's speaker and organisation filters).
        indexes = [
            models.Index(fields=["person", "talk"], name="participation_person_talk_idx"),
            models.Index(fields=["organisation", "talk"], name="participation_org_talk_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"
