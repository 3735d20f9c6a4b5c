"""Search indexes every translation of a talk: a visitor finds it in any of its languages."""

import pytest

from clustertalks.search.models import SearchDocument
from clustertalks.talks.models import TalkTranslation

pytestmark = pytest.mark.django_db


def titles_found(client, query) -> str:
    return client.get("/search/", {"q": query}).content.decode()


def test_a_talk_is_found_through_each_translation(client, make_talk, add_materials):
    talk = make_talk("Hydrogen valleys")
    add_materials(talk, summary="About hydrogen.", takeaways=[("policy", "Build a market")])
    TalkTranslation.objects.create(talk=talk, language="fr", title="Vallées de l'hydrogène",
                                   abstract="Électrolyseurs régionaux", summary="Résumé sur l'électrolyse",
                                   takeaways="Créer un marché transfrontalier")
    TalkTranslation.objects.create(talk=talk, language="pl", title="Doliny wodorowe")
    for query in ("Vallées", "électrolyseurs", "wodorowe", "transfrontalier", "hydrogen"):
        assert "Hydrogen valleys" in titles_found(client, query) or talk.get_absolute_url() in titles_found(client, query), query


def test_removing_a_translation_removes_it_from_the_index(client, make_talk):
    talk = make_talk("Cluster skills")
    french = TalkTranslation.objects.create(talk=talk, language="fr", title="Compétences régionales")
    assert SearchDocument.objects.filter(talk=talk, body__contains="Compétences").exists()
    french.delete()
    assert not SearchDocument.objects.filter(talk=talk, body__contains="Compétences").exists()
