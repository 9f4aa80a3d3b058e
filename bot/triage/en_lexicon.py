"""Customer-service additions to VADER's English lexicon.

VADER is tuned on general social media, where "late", "refund" or "fast" carry no
sentiment; in messages to a shop they do. Phrases cover complaints VADER cannot see
because their words are neutral and only the phrase is negative ("never arrived",
"stopped working"). Hand-curated for this project on VADER's scale (about -4 .. +4).
"""

from __future__ import annotations

WORDS: dict[str, float] = {
    "refund": -0.8,
    "late": -1.2,
    "crashing": -1.5,
    "crashes": -1.5,
    "crashed": -1.5,
    "leaking": -1.5,
    "leaks": -1.5,
    "rash": -1.5,
    "overcharged": -2.0,
    "disconnected": -1.2,
    "cracked": -1.5,
    "crushed": -1.5,
    "weird": -0.8,
    "unresponsive": -1.8,
    "fast": 1.2,
    "quick": 1.0,
    "quickly": 1.0,
    "smooth": 1.2,
    "early": 0.8,
    "sturdy": 1.2,
    "soft": 0.8,
    "obsessed": 2.0,
    "gorgeous": 3.0,
}

# Regular expressions (case-insensitive, matched on word boundaries) and their valence.
PHRASES: dict[str, float] = {
    r"never (arrived|came|showed up|received (it|my \w+)?|shipped)": -2.0,
    r"(has|have|did|had)n'?t (arrived|come|shipped|received|gotten|got)": -1.8,
    r"(not|never) (arrived|received|delivered)": -1.8,
    r"still (waiting|no|not|haven'?t|hasn'?t|pending)": -1.5,
    r"(stopped|quit) (working|charging)": -2.0,
    r"(does|do|did|is|will|would)(n'?t| not) (work|charge|turn on)": -2.0,
    r"not working": -2.0,
    r"burn(ed|t) out": -2.0,
    r"(fell|falling|came|coming) apart": -2.0,
    r"charged twice|double[- ]charged": -2.0,
    r"no (reply|response|answer|one (is )?answering)|nobody answers": -1.5,
    r"thanks for nothing": -3.5,
    r"not what i ordered": -2.0,
    r"nothing like": -1.5,
    r"(five|5) stars|10/10": 2.0,
    r"fits like a glove": 2.0,
}
