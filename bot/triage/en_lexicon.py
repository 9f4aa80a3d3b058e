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
    "sturdy": 1.2,
    "soft": 0.8,
    "obsessed": 2.0,
    "gorgeous": 3.0,
    "honestly": 0.0,  # a discourse marker in complaints as often as in praise
    "treat": 0.0,  # mostly the verb: "how you treat customers"
    "smooth": 1.8,
    "early": 1.2,
    "cancel": -0.3,
    "sure": 0.0,  # "not sure which size" is a question, not a complaint
    "true": 0.0,  # "true to size"
    "gift": 0.0,  # a product, not a feeling: "gift card", "gift wrapping"
    "super": 0.0,  # mostly a booster ("super annoying", "super fast"), which VADER scores as praise
    "killer": 1.5,  # "this shade is killer": praise in shop talk
    "slow": -1.2,
    "meh": -1.5,
    "explosive": 0.0,
}

# Removed before scoring (lower case, matched on lowercased text): politeness and request formulas that VADER reads as praise.
NEUTRAL_PHRASES: tuple[str, ...] = (
    r"please",
    r"(i'?d|i would|we'?d|we would) like( to)?",
    r"would you like",
    r"can you help|could you help|help me",
)

# Regular expressions, in lower case (they are matched on lowercased text, on word
# boundaries), and their valence.
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
    r"exactly what i (was looking for|wanted|needed)": 2.0,
    # VADER reads "never ... better" as negated praise (about -3.4); this outweighs it.
    r"never (looked|felt|been|worked|done) (this |so )?(better|good|great)": 5.5,
    # "to die for" is praise; VADER reads "die" (-2.9).
    r"to die for": 5.5,
    r"had a blast": 2.5,
    r"(no|not a single|zero) (allergic )?(reaction|reactions|issues|problems)( at all)?": 2.5,
    r"oh (great|wonderful|perfect|fantastic|lovely)": -4.5,  # sarcasm
    r"it'?s been (\d+|two|three|four|five|ten) (days|weeks|months)": -1.5,
    r"expected (more|better)": -2.0,
    r"(can'?t|cannot|unable to) (check ?out|log ?in|sign ?in|pay|place (an|my) order)": -1.5,
    r"(this is|is this|that'?s) how you treat|how you treat (your )?customers": -4.0,
    # VADER counts "incredible" only as a booster ("incredibly fast"), never on its own.
    r"incredible(?=\s*(?:[.!,]|$))": 2.8,
    r"why (does|did|is|has) it (take|taking|taken)": -1.5,
}
