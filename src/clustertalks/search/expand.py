"""What a visitor means, beyond the letters typed: each word of a query gets alternatives that
any document may match instead (a term's group is OR-ed, see query.py).

- words split at digits and case changes: "Clusters4NEB" also looks for "clusters 4 NEB";
- British and American spellings: defence/defense, organisation/organization, centre/center;
- synonyms and acronyms organisers manage (search.Synonym): "SME" also looks for
  "small and medium-sized enterprises", and the phrase "artificial intelligence" for "AI";
- spelling: a word that is not in the index's vocabulary (search.SearchWord) also looks for the
  closest indexed words ("resilence" → "resilience"), by edit distance with rapidfuzz.

Documents get the same splitting at indexing time (`split_words`), so both sides meet.
"""

import hashlib
import re

from django.core.cache import cache
from rapidfuzz import fuzz, process

from .query import MAX_WORD_CHARS, Query, Term, words_of

# Words are split where a lower-case letter meets an upper-case one, or a letter meets a digit.
SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])|(?<=[A-Z])(?=[A-Z][a-z])")
TOKEN = re.compile(r"[^\W_]+")
# British ↔ American endings (the longest first); both spellings are looked for.
SPELLINGS = [
    ("isation", "ization"), ("isations", "izations"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"),
    ("yse", "yze"), ("ysed", "yzed"), ("ence", "ense"), ("our", "or"), ("ours", "ors"), ("tre", "ter"),
    ("tres", "ters"), ("ogue", "og"), ("ogues", "ogs"), ("lling", "ling"), ("lled", "led"), ("mme", "m"),
    ("mmes", "ms"),
]
MIN_VARIANT_CHARS = 5
MIN_TYPO_CHARS = 4
TYPO_SCORE = 80  # rapidfuzz ratio (0-100) from which an indexed word is taken for a typo
MAX_CORRECTIONS = 2
SYNONYMS_CACHE_KEY = "search:synonyms:v1"
SYNONYMS_CACHE_SECONDS = 300
CORRECTIONS_CACHE_PREFIX = "search:typo:"
CORRECTIONS_CACHE_SECONDS = 600


def split_words(text: str) -> list[str]:
    """The parts of each compound token of `text` ("Clusters4NEB" → "Clusters 4 NEB"): indexed
    beside the text, so that "NEB" finds it."""
    parts = []
    for token in TOKEN.findall(text or ""):
        pieces = [piece for piece in SPLIT.split(token) if piece]
        if len(pieces) > 1:
            parts.append(" ".join(pieces))
    return parts


def spelling_variants(word: str) -> list[str]:
    if len(word) < MIN_VARIANT_CHARS or word.isdigit():
        return []
    variants = []
    for british, american in SPELLINGS:
        for ending, other in ((british, american), (american, british)):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                variants.append(word[: -len(ending)] + other)
    return [variant for variant in dict.fromkeys(variants) if variant != word]


def synonym_sets() -> list[tuple[tuple[str, ...], ...]]:
    """Each organiser-managed set as word tuples, cached for a few minutes (see admin)."""
    found = cache.get(SYNONYMS_CACHE_KEY)
    if found is None:
        from .models import Synonym

        found = []
        for synonym in Synonym.objects.all():
            terms = tuple(words for words in (words_of(term) for term in synonym.term_list()) if words)
            if len(terms) > 1:
                found.append(terms)
        cache.set(SYNONYMS_CACHE_KEY, found, SYNONYMS_CACHE_SECONDS)
    return found


def forget_synonyms(**kwargs) -> None:
    cache.delete(SYNONYMS_CACHE_KEY)


def corrections(words: list[str]) -> dict[str, list[str]]:
    """For each word of at least MIN_TYPO_CHARS letters that the index does not know, the
    closest indexed words of the same first letter and a similar length. Answers are cached
    for a few minutes per word (the vocabulary grows slowly), so a repeated query costs none."""
    candidates = [word for word in dict.fromkeys(words) if len(word) >= MIN_TYPO_CHARS and not word.isdigit()]
    if not candidates:
        return {}
    keys = {word: CORRECTIONS_CACHE_PREFIX + hashlib.sha1(word.encode()).hexdigest() for word in candidates}
    cached = cache.get_many(list(keys.values()))
    found = {word: cached[key] for word, key in keys.items() if key in cached}
    missing = [word for word in candidates if keys[word] not in cached]
    if missing:
        computed = compute_corrections(missing)
        cache.set_many({keys[word]: computed.get(word, []) for word in missing}, CORRECTIONS_CACHE_SECONDS)
        found.update(computed)
    return {word: fixes for word, fixes in found.items() if fixes}


def compute_corrections(words: list[str]) -> dict[str, list[str]]:
    from .models import SearchWord

    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    found = {}
    for word in words:
        if word in known:
            continue
        nearby = list(
            SearchWord.objects.filter(first=word[0], length__gte=len(word) - 2, length__lte=len(word) + 2)
            .values_list("word", flat=True)[:20000]
        )
        matches = process.extract(word, nearby, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=MAX_CORRECTIONS)
        if matches:
            found[word] = [match[0] for match in matches]
    return found


def expand(query: Query, raw: str = "") -> Query:
    """The query with alternatives added to its groups (never fewer results, never an error)."""
    if not query:
        return query
    groups = [list(group) for group in query.groups]
    add_splits(groups, raw)
    add_synonyms(groups)
    single = [group[0].words[0] for group in groups if len(group[0].words) == 1 and not group[0].prefix]
    fixes = corrections(single)
    for group in groups:
        first = group[0]
        if len(first.words) != 1 or first.prefix:
            continue
        word = first.words[0]
        for variant in spelling_variants(word) + fixes.get(word, []):
            add(group, Term((variant[:MAX_WORD_CHARS],)))
    return Query(tuple(tuple(group) for group in groups), query.excluded)


def add(group: list[Term], term: Term) -> None:
    if term not in group and len(group) < 8:
        group.append(term)


def add_splits(groups: list[list[Term]], raw: str) -> None:
    for token in TOKEN.findall(raw or ""):
        pieces = [piece.casefold() for piece in SPLIT.split(token) if piece]
        if len(pieces) < 2:
            continue
        for group in groups:
            if group[0].words == (token.casefold()[:MAX_WORD_CHARS],):
                add(group, Term(tuple(pieces)))


def add_synonyms(groups: list[list[Term]]) -> None:
    """A synonym found as one group's word, or as consecutive groups' words (a phrase typed
    without quotes), adds the set's other terms to each of those groups."""
    sets = synonym_sets()
    if not sets:
        return
    firsts = [group[0].words for group in groups]
    for terms in sets:
        for term in terms:
            for start in range(len(groups)):
                if match_at(firsts, start, term):
                    span = len(term) if all(len(words) == 1 for words in firsts[start:start + len(term)]) else 1
                    for group in groups[start:start + span]:
                        for other in terms:
                            if other != term:
                                add(group, Term(other, loose=len(other) > 1))


def match_at(firsts: list[tuple[str, ...]], start: int, term: tuple[str, ...]) -> bool:
    if firsts[start] == term:
        return True
    window = firsts[start:start + len(term)]
    return len(window) == len(term) and all(words == (word,) for words, word in zip(window, term, strict=True))
