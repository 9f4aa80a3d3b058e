"""Literal prefixes of regular expressions, so a scan for them is skipped when none occurs.

A category's alternation of dozens of patterns costs about as much at every position of the text
whether or not anything matches; looking for the literal words every match starts with
(``str.__contains__``, in C) first makes messages that show no risk, the great majority, cheap.
"""

from __future__ import annotations

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
    for index, char in enumerate(pattern):
        if char.isalnum() or char in _LITERAL_PUNCTUATION:
            literal += char
            continue
        if char in _QUANTIFIERS:
            literal = literal[:-1]
        break
    return {literal} if literal else None


def _top_level(pattern: str) -> list[str]:
    parts, depth, start, index = [], 0, 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = pattern.index("]", index + 1)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    return parts


def _closing(pattern: str) -> int:
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
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError(f"unbalanced parentheses in {pattern!r}")
