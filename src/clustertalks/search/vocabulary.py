"""The index's own words (search.SearchWord), which spelling correction compares a query with."""

import unicodedata

from .models import SearchWord
from .query import MAX_WORD_CHARS, WORD

MIN_CHARS = 4


def folded_words(text: str) -> set[str]:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return {word for word in WORD.findall(bare.casefold()) if MIN_CHARS <= len(word) <= MAX_WORD_CHARS and not word.isdigit()}


def remember(documents) -> None:
    words = set()
    for document in documents:
        words |= folded_words(document.title)
        words |= folded_words(document.body)
    if not words:
        return
    known = set()
    listed = sorted(words)
    for start in range(0, len(listed), 500):
        known |= set(SearchWord.objects.filter(word__in=listed[start:start + 500]).values_list("word", flat=True))
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, length=len(word), first=word[0]) for word in listed if word not in known],
        batch_size=500, ignore_conflicts=True,
    )
