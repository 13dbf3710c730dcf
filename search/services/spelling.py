""" "Did you mean": a spelling the index knows for a search that found nothing.

Candidates come from the index's own vocabulary (``SearchTerm``, written by our database
index): on PostgreSQL by trigram similarity (``pg_trgm``, migration 0004), elsewhere (SQLite,
or PostgreSQL without the extension) by ``difflib`` over the words that start with the same
letter and have about the same length. The callers show a suggestion only if searching for it
finds something the reader may see, so words of members-only text never leak through it.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from django.db import connection
from django.db.models.functions import Length

from .. import text
from ..models import SearchTerm

# How alike a word must be (difflib ratio) to be suggested instead of the one typed.
CUTOFF = 0.75
MAX_CANDIDATES = 20_000


def suggestion(query: str) -> str | None:
    """``query`` with each word the index does not know replaced by the closest one it
    knows; None if no word changed."""
    terms = text.query_terms(query)
    if not terms:
        return None
    known = set(SearchTerm.objects.filter(word__in=terms).values_list("word", flat=True))
    changed, words = False, []
    for term in terms:
        closest = None if term in known or not term.isalpha() else _closest(term)
        if closest and closest != term:
            changed = True
        words.append(closest or term)
    return " ".join(words) if changed else None


def _closest(term: str) -> str | None:
    candidates = _trigram_candidates(term) if _has_trigrams() else _length_candidates(term)
    matches = difflib.get_close_matches(term, candidates, n=1, cutoff=CUTOFF)
    return matches[0] if matches else None


def _trigram_candidates(term: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM {SearchTerm._meta.db_table} WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC, word LIMIT 20",
            [term, term],
        )
        return [word for (word,) in cursor.fetchall()]


def _length_candidates(term: str) -> list[str]:
    return list(
        SearchTerm.objects.annotate(length=Length("word"))
        .filter(word__startswith=term[0], length__gte=len(term) - 2, length__lte=len(term) + 2)
        .values_list("word", flat=True)[:MAX_CANDIDATES]
    )


@lru_cache(maxsize=1)
def _has_trigrams() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None
