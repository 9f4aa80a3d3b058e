"""Valences of emoji and of the emoticons Korean and English customers type.

Hand-curated for this project on VADER's scale (about -4 .. +4). Emoji are looked up by
their first code point, after variation selectors and skin-tone modifiers are dropped,
so "❤️" and "👍🏽" count like "❤" and "👍". ASCII emoticons such as ":(" and ":)" are
left to VADER, which already scores them.
"""

from __future__ import annotations

EMOJI: dict[str, float] = {
    # negative
    "😡": -3.0, "🤬": -3.5, "😠": -2.5, "😤": -2.2, "😢": -2.0, "😭": -1.5, "😞": -2.0,
    "😔": -1.8, "😒": -1.8, "🙄": -1.5, "👎": -2.5, "💔": -2.5, "😩": -2.0, "😫": -2.0,
    "😑": -1.0, "😐": -0.5, "🤮": -3.0, "🤢": -2.5, "💩": -2.5, "😣": -1.5, "😖": -2.0,
    "😕": -1.2, "🙁": -1.5, "☹": -1.8, "😱": -1.5, "😰": -1.5, "😓": -1.2, "😾": -2.0,
    "🖕": -3.5,
    # positive
    "👍": 2.0, "😍": 3.0, "🥰": 3.0, "❤": 2.5, "💕": 2.5, "💖": 2.5, "💗": 2.5,
    "💓": 2.5, "💞": 2.5, "💘": 2.5, "💝": 2.5, "💚": 2.5, "💙": 2.5, "💜": 2.5,
    "🧡": 2.5, "💛": 2.5, "🤍": 2.5, "🖤": 1.5, "💯": 2.0, "😊": 2.0, "🙂": 1.2,
    "😀": 2.0, "😃": 2.0, "😄": 2.0, "😁": 2.0, "😆": 1.8, "😂": 1.2, "🤣": 1.2,
    "🎉": 2.0, "🥳": 2.5, "🔥": 1.5, "✨": 1.2, "🙏": 1.5, "👏": 2.0, "🙌": 2.0,
    "😘": 2.0, "🤗": 2.0, "😎": 1.5, "🌟": 1.5, "⭐": 1.5, "👌": 1.5, "💪": 1.2,
    "😋": 2.0, "🤩": 3.0, "☺": 2.0, "😉": 1.2, "🌱": 0.5, "🫶": 2.5, "💐": 1.8,
    "🎁": 1.0, "🤙": 1.5, "🤤": 2.0,
    "💀": 1.0,  # "I'm dead 💀": laughing, in the way customers use it
    "🙃": -1.0,  # the upside-down face: mostly sarcasm in complaints
}

# Keyed by the jamo a run is made of; a whole run counts once ("ㅠㅠㅠ" like "ㅠ"), and
# ㅋ, ㅎ and ㅡ only count as runs of two or more.
JAMO_EMOTICONS: dict[str, float] = {
    "ㅠ": -1.2,  # crying; also tears of gratitude, which the words around it usually outweigh
    "ㅜ": -1.2,
    "ㅡ": -1.5,  # ㅡㅡ, an annoyed stare
    "ㅋ": 0.8,  # laughter
    "ㅎ": 0.8,
}

ASCII_EMOTICONS: dict[str, float] = {
    "^^": 1.5,
    "^_^": 1.5,
    "-_-": -1.5,
    "T_T": -1.2,
    "TT": -1.0,
    ";;": -0.5,  # also stands for longer runs of semicolons
}
