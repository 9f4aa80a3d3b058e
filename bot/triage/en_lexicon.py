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
    "support": 0.0,  # mostly the noun: "customer support", "your support agent"
    "fire": 0.0,  # praise ("is fire") as often as harm, which the risk categories weigh
    "insane": 0.0,  # "the pigment is insane", "the wait is insane": the words around it decide
    "crazy": 0.0,
    "nuts": 0.0,
    "sinful": 0.0,  # of desserts
    "shook": 0.0,
    "addictive": 1.5,
    "addicting": 1.5,
    "addicted": 1.0,
    "shaking": 0.0,
    "slaps": 2.0,
    "bussin": 2.5,
    "goated": 2.5,
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
    r"had a blast": 2.5,
    r"(no|not a single|zero) (allergic )?(reaction|reactions|issues|problems)( at all)?": 2.5,
    r"it'?s been (\d+|two|three|four|five|ten) (days|weeks|months)": -1.5,
    r"expected (more|better)": -2.0,
    r"(can'?t|cannot|unable to) (check ?out|log ?in|sign ?in|pay|place (an|my) order)": -1.5,
    r"(this is|is this|that'?s) how you treat|how you treat (your )?customers": -4.0,
    # VADER counts "incredible" only as a booster ("incredibly fast"), never on its own.
    r"incredible(?=\s*(?:[.!,]|$))": 2.8,
    r"why (does|did|is|has) it (take|taking|taken)": -1.5,
}

# Regular expressions like PHRASES whose words mislead VADER: praise and jokes built on words of
# harm ("is fire", "I'd kill for"), and turns of phrase whose praise is negated ("couldn't be
# happier"). Lower case, matched on lowercased text; a match is taken out of the text before its
# words are scored, and counts its valence.
_PERSON = r"i|we|he|she|they|kids?|son|daughter|baby|wife|husband|mom|dad|family|everyone|everybody|all|who|people|dog|cat"
_PRAISED = (r"good|tasty|delicious|yummy|comfy|comfortable|cheap|fast|soft|cute|pretty|addictive|underrated|smooth"
            r"|fresh|juicy|crispy|crunchy|moist|rich|strong|long[- ]lasting|well made|affordable|effective|easy|fun|quick")
REPLACED: dict[str, float] = {
    r"(?:is|are|was|were|[\'’]s|looks?|tastes?|tasted|sounds?|smells?|so|straight|pure|absolute|literally|lowkey"
    r"|actually|kinda|just) (?:straight |pure |absolute |literally |lowkey |actually |so )?fire"
    r"(?! (?:alarm|hazard|risk|blanket|extinguisher|department|truck|exit|drill|safety|pit|station))": 3.0,
    r"(?:the|a|da|an absolute|a total) bomb(?:\.com| dot com)?(?! (?:threat|scare|squad|shelter|went off|exploded|waiting))": 3.0,
    # Checked behind once "sick" is found, which keeps the scan fast: "she is sick" is not praise.
    r"(?:is|are|[\'’]s|looks?|sounds?|so) (?:so |hella |mad |pretty |lowkey |super )?sick"
    rf"(?<!\b(?:{_PERSON}) \w+ (?:\w+ )?sick)(?! (?:of|after|from|for|since|and tired|to))": 2.5,
    r"sick (?:beats?|bass|design|fits?|colou?rs?|drop|kicks|sound|deal|ride|graphics|collab)": 2.5,
    r"(?:a|an absolute|a total|a real|an actual) (?:beast|game[- ]changer|banger|steal|gem|lifesaver|life saver)": 2.5,
    r"(?:kill|murder|crush|nail|smash)(?:ed|ing|s|es)? it": 2.5,
    r"(?:i'?d|i would|would|i'?ll|gonna|i could) (?:literally |honestly |happily |totally )?(?:kill|die"
    r"|fight(?: someone| somebody| people| anyone)?|commit (?:crimes|murder)|sell my soul|sell a kidney) for": 3.0,
    r"to die for": 3.0,
    r"dying to (?:try|get|see|know|taste|buy|order|go|visit|have)": 2.0,
    r"(?:insanely|crazy|stupid|ridiculously|absurdly|dangerously|criminally|sinfully|deadly|wickedly|obscenely"
    rf"|illegally|scary|unreal|mad|hella|wild|freakishly) (?:{_PRAISED})": 3.0,
    r"(?:should|ought to) be illegal": 2.5,
    r"(?:couldn'?t|could not|can'?t|cannot) (?:be|have been|get|ask for) (?:any )?(?:happier|better"
    r"|more (?:happy|pleased|satisfied)|a better \w+)": 3.5,
    r"(?:can'?t|cannot) recommend (?:\w+ ){0,2}enough": 3.5,
    r"(?:can'?t|cannot|couldn'?t) (?:go wrong|fault (?:it|them|this))": 2.5,
    r"(?:can'?t|cannot|couldn'?t) stop (?:eating|wearing|using|drinking|buying|playing|listening|watching|snacking)": 2.5,
    r"(?:no|zero|not (?:a|one) single) (?:complaints?|regrets|notes)": 2.0,
    r"can'?t complain": 1.5,
    r"never disappoints?": 3.0,
    r"nothing (?:to complain about|wrong with (?:it|them))": 2.0,
    r"not a fan": -2.0,
    r"hung up on (?:me|us)": -2.5,
    r"go back to (?:your|my|his|her|their) (?:own )?country": -3.0,
    r"oh (?:great|wonderful|perfect|fantastic|lovely)": -3.0,  # sarcasm
    # Words that describe a product, not a feeling.
    r"(?:nut|gluten|dairy|sugar|cruelty|fat|lactose|soy|egg|alcohol|caffeine|fragrance|bpa|paraben|latex|peanut|wheat"
    r"|msg|sulfate|oil)[- ]free": 0.0,
    r"crushed ice|horror (?:movie|film|collab|theme|themed|series|game|edition)": 0.0,
}

# Hyperbole that is a joke only when the message laughs ("nearly killed me 😂", "I'm dead lol").
JOKING: dict[str, float] = {
    r"(?:killed|murdered|destroyed|ended|wrecked) me": 2.0,
    r"(?:i'?m|im|i am|i was) (?:literally |actually |so )?(?:dead|dying|deceased|crying|screaming|weak|wheezing)": 2.0,
    r"has me (?:dead|dying|crying|screaming|weak|wheezing|rolling)": 2.0,
    r"(?:gonna|going to|about to) (?:explode|die|pass out)": 2.0,
}
LAUGHTER = r"[\U0001F602\U0001F923\U0001F480]|\b(?:lol|lmao|lmfao|rofl|a?ha(?:ha)+|hehe+)\b|ㅋㅋ"

# A question that opens like one and asks about something ("is it safe for kids?", "are your
# products vegan?") is not praise or complaint for the sentiment words it contains; "why" and
# "how come" questions complain, so they are not among these.
QUESTION_OPENERS: frozenset[str] = frozenset(
    "is are am do does can could will would should shall has have any anyone what which where when who whats "
    "what's".split()
)
