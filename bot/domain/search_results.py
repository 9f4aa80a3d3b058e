"""What a search found, as the surfaces show it."""

from __future__ import annotations

from dataclasses import dataclass

from storage.query_results import Found


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: list[str]
    found: list[Found]
    total: int
    texts: dict[int, list[str]]
    """The newest texts of each found conversation, newest first, to show where the words are."""

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.found))
