"""Compact Korean sentiment lexicon for customer-service messages.

Hand-curated for this project from the words customers use about delivery, refunds,
defects, staff, praise, thanks and everyday slang; it is not derived from any external
lexicon. Weights follow VADER's scale (about -4 most negative .. +4 most positive) so
that Korean and English evidence can be added together.

Keys are written without spaces because matching happens on text with whitespace
removed (Korean spacing is inconsistent: "안 와요" and "안와요" are the same complaint).
Keys are stems or stem prefixes ("좋" matches 좋아요, 좋네요, 좋은); a longer key wins over
a shorter one at the same position, so "불친절" is not read as "친절", and a key with
weight 0.0 only exists to stop a shorter key from matching ("추천해주" is a request for a
recommendation, not praise).

The stems and their weights, by group, are in ``data/ko_stems.txt``; the particles and endings
that change how a stem counts are here.
"""

from __future__ import annotations

from importlib import resources


def _read_groups(text: str) -> dict[str, dict[str, float]]:
    """``[GROUP]`` headers, then ``stem weight`` lines; ``#`` starts a comment."""
    groups: dict[str, dict[str, float]] = {}
    current: dict[str, float] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = groups.setdefault(line[1:-1], {})
            continue
        stem, _, weight = line.partition(" ")
        if current is None or not weight:
            raise ValueError(f"ko_stems.txt line {number}: expected `stem weight` under a [GROUP] header")
        current[stem] = float(weight)
    return groups


_GROUPS = _read_groups(resources.files(__package__).joinpath("data", "ko_stems.txt").read_text(encoding="utf-8"))
PRAISE = _GROUPS["PRAISE"]
THANKS = _GROUPS["THANKS"]
SERVICE_PRAISE = _GROUPS["SERVICE_PRAISE"]
ANGER_AND_DISAPPOINTMENT = _GROUPS["ANGER_AND_DISAPPOINTMENT"]
FRAUD = _GROUPS["FRAUD"]
DELIVERY_PROBLEMS = _GROUPS["DELIVERY_PROBLEMS"]
DEFECTS = _GROUPS["DEFECTS"]
SKIN_REACTIONS = _GROUPS["SKIN_REACTIONS"]
BILLING_AND_SPAM = _GROUPS["BILLING_AND_SPAM"]
NEUTRAL_GUARDS = _GROUPS["NEUTRAL_GUARDS"]
REVIEW_TALK = _GROUPS["REVIEW_TALK"]

# Multi-character intensifiers count anywhere shortly before a stem; the one-character
# ones ("개좋아", "넘 좋아") only directly before it, because 개 and 넘 are also
# ordinary words ("두 개", "넘었는데").
INTENSIFIERS: tuple[str, ...] = (
    "너무", "진짜", "정말", "완전", "엄청", "매우", "아주", "되게", "진심", "겁나",
    "존나", "졸라", "레알", "많이", "가장", "제일", "훨씬", "확실히", "넘나", "무척",
    "굉장히", "몹시", "정말로", "진짜로", "너무너무",
)
ADJACENT_INTENSIFIERS: tuple[str, ...] = ("개", "넘", "핵", "왕", "찐", "참")
DIMINISHERS: tuple[str, ...] = ("조금", "약간", "살짝", "다소", "좀")

# Hedges that go with a negated predicate ("별로 좋지 않네요", "그다지 오래가진 않네요"): the
# negation after them is the predicate's, so they keep their own (negative) weight.
HEDGES: tuple[str, ...] = ("별로", "그다지")

# Contrast endings ("기대했는데 실망이에요", "예쁘지만 작아요"): as with English "but",
# what follows weighs more than what comes before. The fused -ㄴ데 of 예쁜데 is
# recognised in sentiment.py, which looks at the syllable's final consonant.
CONTRASTS: tuple[str, ...] = ("지만", "는데", "은데", "인데", "그러나")

# Short negation: 안/못 right before a predicate ("안 좋아요", "못 받았").
PRE_NEGATIONS: tuple[str, ...] = ("안", "못")

# Intensifiers are entries too, with weight 0.0, so that an intensifier's last syllable
# cannot be read as the start of a stem after it; longer stems such as "너무하" still win.
KOREAN_STEMS: dict[str, float] = {
    **{word: 0.0 for word in INTENSIFIERS},
    **{stem: weight for group in _GROUPS.values() for stem, weight in group.items()},
}
