"""The stance lexicon (``data/stance_lexicon.yaml``) and VADER's general sentiment fallback.

Scores follow PLOVER's cooperation-conflict scale divided by 10 (sources and method at the
top of the YAML file). Words the stance lexicon lacks fall back to VADER's general sentiment
lexicon (Hutto & Gilbert 2014, MIT, read from the installed ``vaderSentiment`` package) at half
weight: it says how the speaker feels, less surely whom about.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from stancewire.nlp.datafiles import data_yaml

GENERAL_FACTOR = 0.5  # a word known only to the general sentiment lexicon counts half
GENERAL_MIN_VALENCE = 1.0  # on VADER's -4..4 scale; weaker words are noise


@dataclass(frozen=True, slots=True)
class StanceLexicon:
    """The sections of ``data/stance_lexicon.yaml`` (see its comments for each)."""

    terms: dict[tuple[str, ...], float]
    violence: frozenset[tuple[str, ...]]
    absence: frozenset[str]
    shifters: frozenset[str]
    negators: frozenset[str]
    contrast_markers: tuple[tuple[str, ...], ...]
    cue_flips: frozenset[str]
    object_only_cues: frozenset[str]
    hedges: frozenset[str]
    negation_barriers: frozenset[str]
    general_stoplist: frozenset[str]
    deontic_modals: frozenset[str]
    permission_verbs: frozenset[str]
    label_nouns: frozenset[str]
    harm: frozenset[str]
    attitude: frozenset[str]
    measures: frozenset[str]
    not_terms: frozenset[str]
    adjective_senses: frozenset[str]
    max_words: int


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(text.lower().split())


@lru_cache(maxsize=1)
def lexicon() -> StanceLexicon:
    """The stance lexicon from ``data/stance_lexicon.yaml``, loaded once."""
    data = data_yaml("stance_lexicon.yaml")
    terms: dict[tuple[str, ...], float] = {}
    for section in ("terms", "violence"):
        for key in data.get(section) or {}:
            if not isinstance(key, str):  # YAML reads a bare no/false as a boolean
                raise ValueError(f"stance lexicon {section}: {key!r} is not a word; quote it")
    for key, score in (data.get("terms") or {}).items():
        terms[_phrase(str(key))] = float(score)
    violence: set[tuple[str, ...]] = set()
    for key, score in (data.get("violence") or {}).items():
        terms[_phrase(str(key))] = float(score)
        violence.add(_phrase(str(key)))
    for key, score in terms.items():
        if not -1.0 <= score <= 1.0:
            raise ValueError(f"stance lexicon: {' '.join(key)!r} score {score} not in -1..1")

    def words(name: str) -> frozenset[str]:
        values = data.get(name) or []
        if not all(isinstance(w, str) for w in values):
            raise ValueError(f"stance lexicon {name}: every entry must be a word; quote it")
        return frozenset(w.lower() for w in values)

    return StanceLexicon(
        terms=terms,
        violence=frozenset(violence),
        absence=words("absence"),
        shifters=words("shifters"),
        negators=words("negators"),
        contrast_markers=tuple(_phrase(str(m)) for m in data.get("contrast_markers") or []),
        cue_flips=words("cue_flips"),
        object_only_cues=words("object_only_cues"),
        hedges=words("hedges"),
        negation_barriers=words("negation_barriers"),
        general_stoplist=words("general_stoplist"),
        deontic_modals=words("deontic_modals"),
        permission_verbs=words("permission_verbs"),
        label_nouns=words("label_nouns"),
        harm=words("harm"),
        attitude=words("attitude"),
        measures=words("measures"),
        not_terms=words("not_terms"),
        adjective_senses=words("adjective_senses"),
        max_words=max((len(k) for k in terms), default=1),
    )


@lru_cache(maxsize=1)
def general_lexicon() -> dict[str, float]:
    """VADER's general sentiment lexicon (Hutto & Gilbert 2014, MIT; ~7,500 words rated
    -4..4), read from the installed ``vaderSentiment`` package: the fallback for words the
    stance lexicon does not know ("cheated", "admired", "condolences")."""
    try:
        raw = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    table: dict[str, float] = {}
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            table[parts[0].lower()] = float(parts[1])
    return table


def is_thing_sense(token: Token, lex: StanceLexicon) -> bool:
    """Whether ``token`` is the noun sense of a word that evaluates only as an adjective or
    adverb ("goods", "a kind of")."""
    senses = lex.adjective_senses
    return token.pos_ not in ("ADJ", "ADV") and (
        token.lemma_.lower() in senses or token.lower_ in senses
    )


def general_valence(token: Token) -> float | None:
    """A content word's general sentiment, scaled down: it says how the speaker feels, less
    surely whom about than the stance lexicon does."""
    if token.pos_ not in ("ADJ", "NOUN", "VERB", "ADV"):
        return None
    lex = lexicon()
    word, lemma = token.lower_, token.lemma_.lower()
    if is_thing_sense(token, lex):
        return None  # "goods", "a kind of"
    if word in lex.negators or lemma in lex.absence:
        return None  # "no longer": negation is handled as scope, not as sentiment
    if word in lex.general_stoplist or lemma in lex.general_stoplist:
        return None
    table = general_lexicon()
    if token.pos_ == "ADV":
        # only manner adverbs of evaluative adjectives ("unfairly"), not "pretty", "really"
        valence = table.get(word[:-2]) if word.endswith("ly") else None
    else:
        valence = table.get(word)
        if valence is None:
            valence = table.get(lemma)
    if valence is None or abs(valence) < GENERAL_MIN_VALENCE:
        return None
    return max(-1.0, min(1.0, valence / 4.0)) * GENERAL_FACTOR


__all__ = [
    "StanceLexicon",
    "general_lexicon",
    "general_valence",
    "is_thing_sense",
    "lexicon",
]
