"""What a visitor typed, read into a small safe structure that each engine turns into its own
syntax. Nothing the visitor types reaches an engine's query parser as it stands: every word is
reduced to letters and digits, so quotes, operators, `NEAR(`, SQL or 5 kB of text never fail.

Understood, as on common web search engines:
- words: all must match (`cluster policy`);
- `"a phrase"`: the words next to each other (an unclosed quote runs to the end);
- `-word` or `NOT word`: must not match;
- `word OR other`: either;
- `clust*`: any word starting with `clust` (at least two letters before the star).
Small English words ("the", "of") are skipped outside phrases. `AND` is the default and ignored.
"""

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_WORD_CHARS = 60
MIN_PREFIX_CHARS = 2

STOPWORDS = frozenset(
    "a an and are as at be but by for from has have if in into is it its of on or our so than "
    "that the their then there these they this to was we were what when which who will with "
    "you your".split()
)
CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one: a phrase
    prefix: bool = False
    loose: bool = False  # a synonym's words: all of them, next to each other where the engine can

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    """All `groups` must match (a group matches when any of its terms does), no `excluded` may."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def has_prefix(self) -> bool:
        return any(term.prefix for group in self.groups for term in group)

    def any_of(self) -> "Query | None":
        """The same terms with any of them enough (None when that is the query itself)."""
        if len(self.groups) < 2:
            return None
        terms = tuple(dict.fromkeys(term for group in self.groups for term in group))
        return Query((terms,), self.excluded)

    def text(self) -> str:
        return " ".join(" ".join(group[0].words) for group in self.groups)

    def words(self) -> set[str]:
        return {word for group in self.groups for term in group for word in term.words}


def words_of(text: str) -> tuple[str, ...]:
    return tuple(word[:MAX_WORD_CHARS] for word in WORD.findall(text.casefold()))


def parse(raw: str) -> Query:
    """Read a visitor's search text; never raises."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next, negate_next = False, False
    for match in CHUNK.finditer((raw or "")[:MAX_QUERY_CHARS]):
        minus, quoted, bare = match.groups()
        if bare is not None and bare in {"OR", "|"}:
            join_next = bool(groups)
            continue
        if bare is not None and bare in {"AND", "&", "+"}:
            continue
        if bare == "NOT":
            negate_next = True
            continue
        term, negated = read_term(minus, quoted, bare)
        negated = negated or negate_next
        negate_next = False
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
        if len(groups) + len(excluded) >= MAX_TERMS:
            break
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))


def read_term(minus: str | None, quoted: str | None, bare: str | None) -> tuple[Term | None, bool]:
    if quoted is not None:
        words = words_of(quoted)
        return (Term(words) if words else None), bool(minus)
    negated = bare.startswith("-") and len(bare) > 1
    text = bare[1:] if negated else bare
    words = words_of(text)
    if not words:
        return None, negated
    if len(words) > 1:  # "co-operation", "e.g." read as a phrase, as the index splits them
        return Term(words), negated
    word = words[0]
    prefix = text.endswith("*") and len(word) >= MIN_PREFIX_CHARS
    if word in STOPWORDS and not prefix:
        return None, negated
    return Term(words, prefix=prefix), negated
