"""Finding what already exists, as an organiser would, before creating anything (import and API).

- people: by slug, or by name with accents, case and spacing folded ("Anna Kovács" = "anna kovacs");
- organisations: by slug, name, acronym, "Name (ACRONYM)", or the "unit, parent" form
  ("DG GROW, European Commission" is the unit DG GROW of the European Commission);
- topics: by slug, name (any case) or an alias organisers manage (search.TopicAlias).

What is created is recorded, and a new name that looks like an existing one (a fuzzy match with
rapidfuzz) is reported as a possible duplicate: never created silently.
"""

import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from clustertalks.people.models import Organisation, Person
from clustertalks.talks.models import Topic

LOOKS_ALIKE = 88  # rapidfuzz token_sort_ratio (0-100) from which two names are reported as alike


def created(model, field: str, **values):
    """A new row checked by the model's own rules, as the back office checks it (api.writing)."""
    from .writing import created as checked

    return checked(model, field, **values)


def fold(text: str) -> str:
    """Lower case, no accents, words separated by one space: the key names are compared on."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = "".join(char if char.isalnum() else " " for char in bare.casefold())
    return " ".join(words.split())


def squeeze(text: str) -> str:
    return " ".join((text or "").split())


@dataclass
class Matcher:
    """One import's (or one API call's) view of existing people, organisations and topics."""

    created: dict[str, list[str]] = field(default_factory=lambda: {"people": [], "organisations": [], "topics": []})
    updated: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    _people: dict[str, int] | None = None
    _organisations: dict[str, int] | None = None
    _topics: dict[str, int] | None = None

    # ------------------------------------------------------------------ people

    def people_index(self) -> dict[str, int]:
        if self._people is None:
            self._people = {}
            for pk, name in Person.objects.order_by("pk").values_list("pk", "name"):
                self._people.setdefault(fold(name), pk)
        return self._people

    def person(self, name_or_slug: str) -> Person:
        value = squeeze(name_or_slug)
        found = Person.objects.filter(slug=value).first()
        if found:
            return found
        pk = self.people_index().get(fold(value))
        if pk:
            return Person.objects.get(pk=pk)
        self.check_alike("person", value, self.people_index())
        person = created(Person, "person", name=value)
        self.people_index()[fold(value)] = person.pk
        self.created["people"].append(value)
        return person

    # ------------------------------------------------------------------ organisations

    def organisations_index(self) -> dict[str, int]:
        if self._organisations is None:
            self._organisations = {}
            for organisation in Organisation.objects.order_by("pk"):
                self.remember(organisation)
        return self._organisations

    def remember(self, organisation: Organisation) -> None:
        index = self._organisations
        for key in (organisation.name, organisation.acronym, str(organisation), organisation.slug):
            if key and fold(key):
                index.setdefault(fold(key), organisation.pk)

    def find_organisation(self, value: str) -> Organisation | None:
        pk = self.organisations_index().get(fold(value))
        return Organisation.objects.filter(pk=pk).first() if pk else None

    def organisation(self, value, *, create: bool = True) -> Organisation | None:
        """From a name (any of the forms above) or a dict {name, acronym, parent}."""
        if isinstance(value, dict):
            return self.organisation_from_dict(value)
        value = squeeze(value)
        if not value:
            return None
        found = self.find_organisation(value)
        if found:
            return found
        if ", " in value:
            unit_name, parent_name = value.rsplit(", ", 1)
            unit = self.find_organisation(unit_name)
            parent = self.find_organisation(parent_name)
            if unit is not None:
                return unit
            if parent is not None:
                return self.create_organisation(unit_name, parent=parent)
        return self.create_organisation(value) if create else None

    def organisation_from_dict(self, data: dict) -> Organisation | None:
        name, acronym = squeeze(str(data.get("name") or "")), squeeze(str(data.get("acronym") or ""))
        if not name and not acronym:
            return None
        parent = self.organisation(data["parent"]) if data.get("parent") else None
        found = (self.find_organisation(name) if name else None) or (
            self.find_organisation(acronym) if acronym else None
        )
        if found is None and name and ", " in name:
            found = self.organisation(name, create=False)
        if found is None:
            return self.create_organisation(name or acronym, acronym=acronym, parent=parent)
        changes = []
        if acronym and not found.acronym:
            found.acronym, changes = acronym[:30], changes + ["acronym"]
        if parent is not None and found.parent_id is None and parent.pk != found.pk:
            found.parent, changes = parent, changes + ["parent"]
        if changes:
            found.save(update_fields=changes)
            self.remember(found)
            self.updated.append(f"organisation {found.name}: {', '.join(changes)}")
        return found

    def create_organisation(self, name: str, *, acronym: str = "", parent: Organisation | None = None) -> Organisation:
        self.check_alike("organisation", name, self.organisations_index())
        organisation = created(Organisation, "organisation", name=squeeze(name)[:200],
                               acronym=acronym[:30], parent=parent)
        self.remember(organisation)
        label = f"{name}, {parent.name}" if parent else name
        self.created["organisations"].append(label)
        return organisation

    # ------------------------------------------------------------------ topics

    def topics_index(self) -> dict[str, int]:
        if self._topics is None:
            from clustertalks.search.models import TopicAlias

            self._topics = {}
            for pk, name, slug in Topic.objects.order_by("pk").values_list("pk", "name", "slug"):
                self._topics.setdefault(fold(name), pk)
                self._topics.setdefault(fold(slug), pk)
            for alias, topic_id in TopicAlias.objects.values_list("alias", "topic_id"):
                self._topics[fold(alias)] = topic_id
        return self._topics

    def topic(self, name: str, field: str = "topics") -> Topic:
        value = squeeze(name)
        pk = self.topics_index().get(fold(value))
        if pk:
            return Topic.objects.get(pk=pk)
        self.check_alike("topic", value, self.topics_index())
        topic = created(Topic, field, name=value[:120])
        self.topics_index()[fold(value)] = topic.pk
        self.created["topics"].append(value)
        return topic

    # ------------------------------------------------------------------ near-duplicates

    def check_alike(self, kind: str, name: str, index: dict[str, int]) -> None:
        key = fold(name)
        if not key or not index:
            return
        match = process.extractOne(key, list(index), scorer=fuzz.token_sort_ratio, score_cutoff=LOOKS_ALIKE)
        if match is None and len(key) >= 4:
            # "Other" beside "Others", "Green transition" beside "The green transition"
            match = process.extractOne(key, list(index), scorer=fuzz.token_set_ratio, score_cutoff=95)
        if match is not None:
            self.duplicates.append(f"new {kind} “{name}” looks like the existing “{match[0]}”")
