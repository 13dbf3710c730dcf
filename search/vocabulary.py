"""The words of the indexed text (``SearchTerm``), written by our database index."""

from __future__ import annotations

from . import text
from .models import SearchTerm

MIN_LENGTH = 3
MAX_LENGTH = 40


def words_of(value: str) -> set[str]:
    """The words of ``value`` worth suggesting: letters only, not too short, no stop words."""
    stops = text.STOP_WORDS["da"] | text.STOP_WORDS["en"]
    return {
        word
        for word in (w.lower() for w in text.WORD_RE.findall(value or ""))
        if MIN_LENGTH <= len(word) <= MAX_LENGTH and word.isalpha() and word not in stops
    }


def record(words: set[str]) -> None:
    """Add ``words`` to the vocabulary (known ones are left as they are)."""
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word) for word in sorted(words)], ignore_conflicts=True
        )
