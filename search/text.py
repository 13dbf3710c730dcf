"""Query terms, Snowball stems, teaser matching and highlighted snippets.

The same rules decide whether a members-only item's *teaser* matches a query (for people who
may not see its full text) and which words get highlighted, so what is marked is what matched.
Stemming follows PostgreSQL's Danish configuration (both use the Snowball Danish stemmer).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

WORD_RE = re.compile(r"\w+", re.UNICODE)

# Snowball's Danish and English stop word lists (what PostgreSQL drops from queries too).
STOP_WORDS = {
    "da": set(
        """og i jeg det at en den til er som på de med han af for ikke der var mig sig men et
        har om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad
        skal selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle
        denne end dette mit også under have dig anden hende mine alt meget sit sine vor mod
        disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan""".split()
    ),
    "en": set(
        """a an and are as at be but by for if in into is it no not of on or such that the
        their then there these they this to was will with""".split()
    ),
}
STEMMER_LANGUAGE = {"da": "danish", "en": "english"}


@lru_cache(maxsize=4)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMER_LANGUAGE.get(language, "danish"))


def _language(language: str | None) -> str:
    code = (language or "da")[:2].lower()
    return code if code in STEMMER_LANGUAGE else "da"


@lru_cache(maxsize=200_000)
def _stem_word(language: str, word: str) -> str:
    # Vocabularies are small and Snowball in pure Python is not: memoise per word.
    return _stemmer(language).stemWord(word)


def stem(word: str, language: str = "da") -> str:
    return _stem_word(_language(language), word.lower())


# How Danish letters are typed on a keyboard without them: æ→ae, ø→oe, å→aa.
_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "AE", "Ø": "OE", "Å": "AA"})


def fold_danish(text: str) -> str:
    """æ, ø and å as people type them on a foreign keyboard (ae, oe, aa)."""
    return text.translate(_DANISH_LETTERS)


_TYPED_FOR_DANISH = re.compile(r"(ae|oe|aa)", re.IGNORECASE)
_DANISH_FOR = {"ae": "æ", "oe": "ø", "aa": "å"}
MAX_SPELLINGS = 8


def danish_spellings(query: str) -> list[str]:
    """``query`` as typed, then with its ae/oe/aa read as æ/ø/å (at most ``MAX_SPELLINGS``):
    for engines that analyse the text themselves (Elasticsearch, OpenSearch)."""
    spellings = [query]
    for match in _TYPED_FOR_DANISH.finditer(query):
        letter = _DANISH_FOR[match.group().lower()]
        letter = letter.upper() if match.group()[0].isupper() else letter
        start, end = match.span()
        for spelling in list(spellings):
            # Each spelling still has the original at this place, shifted by earlier swaps.
            shift = len(spelling) - len(query)
            candidate = spelling[: start + shift] + letter + spelling[end + shift :]
            if len(spellings) < MAX_SPELLINGS and candidate not in spellings:
                spellings.append(candidate)
    return spellings


def query_key(word: str, language: str = "da") -> str:
    """What a query word must meet in the index: its stem, Danish letters folded."""
    return fold_danish(stem(word, language))


def word_keys(word: str, language: str = "da") -> tuple[str, ...]:
    """What a word of a text is indexed (and matched) as: its stem with Danish letters folded
    and, when different, the stem of the folded word, so that "vaage" typed on an English
    keyboard finds "våge" (Snowball stems "ae/oe/aa" and "æ/ø/å" differently)."""
    return _word_keys(_language(language), word)


@lru_cache(maxsize=200_000)
def _word_keys(language: str, word: str) -> tuple[str, ...]:
    # Memoised like ``_stem_word``: every snippet of a result list asks for its words' keys.
    folded_stem = query_key(word, language)
    stem_of_folded = stem(fold_danish(word.lower()), language)
    return (folded_stem,) if stem_of_folded == folded_stem else (folded_stem, stem_of_folded)


def index_text(text: str, language: str = "da") -> str:
    """``text`` as the embedded (SQLite) index stores it: the keys of its words, stop words
    left out, like PostgreSQL's Danish configuration makes a tsvector."""
    stops = STOP_WORDS.get(_language(language), set())
    keys = []
    for word in WORD_RE.findall(text or ""):
        word = word.lower()
        if word not in stops:
            keys.extend(word_keys(word, language))
    return " ".join(keys)


def index_query(query: str, language: str = "da") -> str:
    """A query as the embedded index is searched: the keys of its terms."""
    return " ".join(query_key(term, language) for term in query_terms(query, language))


def autocomplete_text(text: str) -> str:
    """Words for prefix matching: lower-cased, Danish letters folded (no stemming)."""
    return " ".join(fold_danish(word.lower()) for word in WORD_RE.findall(text or ""))


def query_terms(query: str, language: str = "da") -> list[str]:
    """Lower-cased words of a query without stop words (at most 12: nobody types more)."""
    stops = STOP_WORDS.get(_language(language), set())
    words = [w.lower() for w in WORD_RE.findall(query or "")]
    return [w for w in words if w not in stops][:12]


def query_stems(query: str, language: str = "da") -> set[str]:
    return {stem(term, language) for term in query_terms(query, language)}


class QueryMatcher:
    """The one rule for "does this text match the query, and how well".

    A text matches when it contains every (non stop word) term of the query after stemming
    (``word_keys``: Snowball Danish, æ/ø/å and ae/oe/aa alike); its score is how many of its
    words match a term. Used for members-only teasers (which hits
    the public may see, and in which order) and for the words ``highlight`` marks. Each
    distinct word is stemmed once per process (``_word_keys``): the public's searches check a
    teaser for every members-only hit (thousands), and every hit's snippet is highlighted.
    """

    def __init__(self, query: str, language: str = "da"):
        self.language = _language(language)
        self.wanted = {query_key(term, self.language) for term in query_terms(query, language)}

    def keys(self, word: str) -> tuple[str, ...]:
        return _word_keys(self.language, word)

    def is_term(self, word: str) -> bool:
        return not self.wanted.isdisjoint(self.keys(word))

    def score(self, text: str) -> int | None:
        """How many words of ``text`` match a query term; None unless every term occurs."""
        if not self.wanted:
            return None
        found: set[str] = set()
        score = 0
        for word in WORD_RE.findall(text or ""):
            matched = self.wanted.intersection(self.keys(word))
            if matched:
                found |= matched
                score += 1
        return score if found == self.wanted else None


_BLOCK_END = re.compile(r"(</(?:p|div|li|h[1-6]|blockquote|pre|td|th)>|<br\s*/?>)", re.IGNORECASE)


def plain_text(markup: str) -> str:
    """The text a reader sees of rendered HTML (rich text, rendered Markdown): tags gone,
    entities decoded, blocks separated by spaces ("slut.</p><p>Ny" is not one word)."""
    return " ".join(html.unescape(strip_tags(_BLOCK_END.sub(r"\1 ", markup or ""))).split())


def highlight(text: str, query: str, language: str = "da", *, length: int = 240) -> SafeString:
    """An excerpt of ``text`` around the first match with matched words in ``<mark>``.

    The text is escaped first and only our own ``<mark>`` tags are added, so content can
    never inject markup.
    """
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    matcher = QueryMatcher(query, language)
    # Without terms (a listing, not a search) nothing is marked: no word needs stemming.
    matches = (
        [m for m in WORD_RE.finditer(text) if matcher.is_term(m.group())] if matcher.wanted else []
    )
    start = 0
    if matches and len(text) > length:
        start = max(0, matches[0].start() - length // 4)
        # Begin at a word boundary.
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts = ["…" if start > 0 else ""]
    cursor = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        parts.append(escape(text[cursor : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        cursor = match.end()
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))
