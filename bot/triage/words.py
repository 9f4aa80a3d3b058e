"""The words many messages share, in English and Korean: what a crisis alert says people talk about."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_NOISE = re.compile(r"<[^>]*>|https?://\S+|www\.\S+|[@#][\w.]+")
_WORD = re.compile(r"[a-z][a-z'’]+[a-z]|[가-힣]{2,}")

ENGLISH_STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
during each even ever few for from further get got had hadn't has hasn't have haven't having he her here
hers herself him himself his how i i'm i've if in into is isn't it it's its itself just let's like me
more most much my myself no nor not now of off on once one only or other our ours ourselves out over own
please really same she should shouldn't so some still such than that that's the their theirs them
themselves then there there's these they they're this those through to too under until up us very was
wasn't we we're were weren't what what's when where which while who whom why will with won't would
wouldn't yet you you're your yours yourself yourselves hi hello thanks thank dear guys yes okay ok
""".split())

KOREAN_STOP_WORDS = frozenset("""
그리고 그런데 그래서 하지만 그러나 그냥 너무 정말 진짜 완전 아주 매우 좀 조금 많이 이거 그거 저거 이건 그건 저건 여기 거기
저기 제가 저는 저희 우리 나는 내가 이번 지금 오늘 어제 내일 다시 아직 계속 혹시 근데 그럼 이런 그런 저런 어떻게 언제 어디
뭐가 무엇 있어요 없어요 했어요 해요 합니다 입니다 있습니다 없습니다 했습니다 하는 하고 해서 하면 있는 없는 되는 같아요
같은 안녕하세요 감사합니다 고맙습니다 주세요 있나요 인가요 되나요 나요 까요 가요
""".split())

# Particles and common endings cut from a Korean word so 배송이, 배송은 and 배송을 count as 배송.
_KOREAN_SUFFIXES = tuple(sorted("""
이 가 은 는 을 를 에 의 도 로 으로 에서 에게 께 까지 부터 만 과 와 랑 이랑 한테 보다 처럼 이나 나 요 이요 예요 이에요 에요
""".split(), key=len, reverse=True))


def tokens(text: str) -> list[str]:
    """The words of one message that say something: lowercase, stop words and links left out."""
    words = []
    for word in _WORD.findall(_NOISE.sub(" ", text.casefold())):
        word = word.replace("’", "'")
        if _is_stop_word(word):
            continue
        if _is_hangul(word[0]):
            word = _korean_stem(word)
        if not _is_stop_word(word):
            words.append(word)
    return words


def _is_stop_word(word: str) -> bool:
    return word in ENGLISH_STOP_WORDS or word in KOREAN_STOP_WORDS


def top_words(texts: Iterable[str], limit: int = 8) -> list[tuple[str, int]]:
    """The words found in the most messages (each message counts a word once), most frequent first."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(tokens(text)))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(word, count) for word, count in ranked if count > 1][:limit]


def _is_hangul(char: str) -> bool:
    return "가" <= char <= "힣"


def _korean_stem(word: str) -> str:
    for suffix in _KOREAN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word
