"""How text is cut into search terms, the same way in the index and in the query.

Korean puts particles and endings on the word (환불이, 환불해주세요) and customers space it
loosely, so a Hangul run is indexed as its overlapping character pairs (환불해 → 환불 불해): "환불"
then finds every message holding those two syllables anywhere, whatever follows them. A query's
Hangul run becomes the phrase of its pairs; one syllable alone is a prefix of the pairs. Other words
are indexed as they are and found by prefix (refund finds refunds and refunded).

The same rule is written in SQL for PostgreSQL by migration 0021 (``socialdesk_search_text``); SQLite
calls ``search_text`` below, registered on each connection (storage/db.py).
"""

from __future__ import annotations

import re

HANGUL_RUN = re.compile(r"[가-힣]+")
REFERENCE = re.compile(r"[a-z][a-z0-9]{0,9}-\d+")
WORD = re.compile(rf"{REFERENCE.pattern}|[가-힣]+|[^\W_가-힣]+")
"""A reference (acme-12), a Hangul run, or a run of other letters and digits."""
MAX_TERMS = 8


def search_text(text: str | None) -> str:
    """The text as the index holds it: each Hangul run replaced by its character pairs."""
    if not text:
        return ""
    return HANGUL_RUN.sub(lambda run: f" {' '.join(bigrams(run.group()))} ", text)


def bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def query_words(query: str) -> list[str]:
    """The words of a query that the index can look for, lowercased, in order, without repeats."""
    words: list[str] = []
    for word in WORD.findall(query.lower()):
        if word not in words:
            words.append(word)
    return words


def fts5_term(word: str) -> str:
    """One word as an FTS5 expression (SQLite)."""
    if HANGUL_RUN.fullmatch(word) and len(word) >= 2:
        return '"' + " ".join(bigrams(word)) + '"'
    return f'"{word}"*'


def tsquery_term(word: str) -> str:
    """One word as a to_tsquery('simple', ...) expression (PostgreSQL)."""
    if HANGUL_RUN.fullmatch(word) and len(word) >= 2:
        return "(" + " <-> ".join(f"'{pair}'" for pair in bigrams(word)) + ")"
    return f"'{word}':*"
