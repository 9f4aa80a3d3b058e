"""Literal prefixes of regular expressions, so a scan for them is skipped when none occurs.

A category's alternation of dozens of patterns costs about as much at every position of the text
whether or not anything matches; looking for the literal words every match starts with
(``str.__contains__``, in C) first makes messages that show no risk, the great majority, cheap.
"""

from __future__ import annotations

from collections.abc import Iterator

_LITERAL_PUNCTUATION = " '’,&-#"
_QUANTIFIERS = "?*{"


def prefixes(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` starts with, or None when that cannot be
    told (the pattern then always has to be scanned for)."""
    found: set[str] = set()
    for alternative in _top_level(pattern):
        part = _alternative_prefixes(alternative)
        if part is None:
            return None
        found |= part
    return frozenset(found)


def _alternative_prefixes(pattern: str) -> set[str] | None:
    if pattern.startswith(r"\b"):
        return _alternative_prefixes(pattern[2:])
    if pattern.startswith(r"\d"):
        return set("0123456789")
    if pattern.startswith("(?:"):
        end = _closing(pattern)
        inner = prefixes(pattern[3:end])
        after = pattern[end + 1:]
        if inner is None:
            return None
        if after[:1] in ("?", "*"):
            rest = _alternative_prefixes(after[1:])
            return None if rest is None else set(inner) | rest
        if after[:1] == "{":
            return None
        return set(inner)
    literal = ""
    for char in pattern:
        if char.isalnum() or char in _LITERAL_PUNCTUATION:
            literal += char
            continue
        if char in _QUANTIFIERS:
            literal = literal[:-1]
        break
    return {literal} if literal else None


def _top_level(pattern: str) -> list[str]:
    """The pattern's alternatives outside any group."""
    cuts = [index for index, char, depth in _structure(pattern) if char == "|" and depth == 0]
    return [pattern[start + 1:end] for start, end in zip([-1, *cuts], [*cuts, len(pattern)], strict=True)]


def _closing(pattern: str) -> int:
    """Where the group opened at the start of the pattern closes."""
    for index, char, depth in _structure(pattern):
        if char == ")" and depth == 0:
            return index
    raise ValueError(f"unbalanced parentheses in {pattern!r}")


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """Each parenthesis and bar of the pattern with the group depth around it (a closing one: the
    depth after it), escapes and character classes skipped."""
    depth, index = 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = pattern.index("]", index + 1)
        elif char == "(":
            depth += 1
            yield index, char, depth
        elif char == ")":
            depth -= 1
            yield index, char, depth
        elif char == "|":
            yield index, char, depth
        index += 1
