"""Finding conversations by what customers wrote, who wrote it, a tag or a reference."""

from __future__ import annotations

from bot.domain.kernel import Kernel
from bot.domain.outcomes import ActionRefused
from storage import search as index
from bot.domain.search_results import SearchResults
from storage.search_terms import MAX_TERMS, query_words

MAX_QUERY_LENGTH = 200
SHOWN = 10


class BadSearch(ActionRefused):
    """The words to search for cannot be searched (none, or too many characters)."""


class Search:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    def search(self, actor: str, query: str, limit: int = SHOWN) -> SearchResults:
        """The conversations of the brands the actor may view holding every word, newest first."""
        query = " ".join(query.split())
        if not query:
            raise BadSearch("Say what to search for: words the customer wrote, an author, a tag or a reference.")
        if len(query) > MAX_QUERY_LENGTH:
            raise BadSearch(f"The search is {len(query)} characters long; use a few words "
                            f"(at most {MAX_QUERY_LENGTH} characters).")
        words = query_words(query)
        if not words:
            raise BadSearch("The search holds no letters or digits; search for words, an author, a tag or a reference.")
        if len(words) > MAX_TERMS:
            raise BadSearch(f"The search has {len(words)} words; use at most {MAX_TERMS}.")
        brands = self.kernel.access.viewable_brands(actor)
        with self.kernel.db.reading() as session:
            page = index.search(session, words, brands, limit)
        return SearchResults(query, words, page.found, page.total, page.texts)
