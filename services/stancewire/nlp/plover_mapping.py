"""The PLOVER mapping of ``data/plover.yaml``: per event type its quad, intensity, cue lemmas,
content verbs and phrases, plus the rules that are not per type (negators, light verbs, speaker
pronouns, thresholds). Loaded once and checked against the wire contract's ``EventType``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast, get_args

from stancewire.events import EventType, Quad
from stancewire.nlp.datafiles import data_yaml

__all__ = ["EventDefinition", "Mapping", "mapping"]

# Per-type word lists in plover.yaml.
_WORD_KEYS = (
    "cues",
    "cues_if",
    "marks",
    "verbs",
    "predicates",
    "phrases",
    "modals",
    "others_verbs",
)


@dataclass(frozen=True)
class EventDefinition:
    """One PLOVER type as stored in ``data/plover.yaml``."""

    type: EventType
    quad: Quad
    intensity: float
    cues: frozenset[str]
    cues_if: frozenset[str]
    cue_needs: dict[str, frozenset[str]]
    marks: frozenset[str]
    verbs: frozenset[str]
    predicates: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    modals: frozenset[str]
    others_verbs: frozenset[str]


@dataclass(frozen=True)
class Mapping:
    """The whole mapping: every type plus the rules that are not per type."""

    types: dict[str, EventDefinition]
    negators: frozenset[str]
    light_verbs: frozenset[str]
    negated_intensity: float
    intention_conflict: EventType
    threat_marks: frozenset[str]
    speaker_pronouns: frozenset[str]
    quoted_speaker_pronouns: frozenset[str]
    naming_cues: frozenset[str]
    naming_threshold: float
    stance_accuse: float
    evaluation_threshold: float
    copulas: frozenset[str]
    contest_verbs: frozenset[str]
    office_nouns: frozenset[str]
    ranking_words: frozenset[str]
    obligation_verbs: frozenset[str]
    question_cues: frozenset[str]
    routine_requests: frozenset[str]
    opinion_verbs: frozenset[str]
    falsity_words: frozenset[str]
    truth_words: frozenset[str]
    claim_nouns: frozenset[str]
    claim_falsity_words: frozenset[str]
    denial_exclusions: frozenset[str]
    threat_nouns: frozenset[str]
    evaluation_words: dict[str, float]
    evidence_cues: frozenset[str]


@lru_cache(maxsize=1)
def mapping() -> Mapping:
    """The mapping in ``data/plover.yaml``; raises if a type is missing or unknown."""
    data: dict[str, Any] = data_yaml("plover.yaml")
    known = set(get_args(EventType))
    if set(data["types"]) != known:
        raise ValueError(f"plover.yaml types differ from EventType: {set(data['types']) ^ known}")
    types = {name: _definition(name, entry) for name, entry in data["types"].items()}
    return Mapping(
        types=types,
        negators=frozenset(data["negators"]),
        light_verbs=frozenset(data["light_verbs"]),
        negated_intensity=float(data["negated_intensity"]),
        intention_conflict=cast(EventType, data["intention_conflict"]),
        threat_marks=frozenset(data["threat_marks"]),
        speaker_pronouns=frozenset(data["speaker_pronouns"]),
        quoted_speaker_pronouns=frozenset(data["quoted_speaker_pronouns"]),
        naming_cues=frozenset(data["naming_cues"]),
        naming_threshold=float(data["naming_threshold"]),
        stance_accuse=float(data["stance_accuse"]),
        evaluation_threshold=float(data["evaluation_threshold"]),
        copulas=frozenset(data["copulas"]),
        contest_verbs=_words(data, "contest_verbs"),
        office_nouns=_words(data, "office_nouns"),
        ranking_words=_words(data, "ranking_words"),
        obligation_verbs=frozenset(data["obligation_verbs"]),
        question_cues=frozenset(data["question_cues"]),
        routine_requests=frozenset(data["routine_requests"]),
        opinion_verbs=_words(data, "opinion_verbs"),
        falsity_words=_words(data, "falsity_words"),
        truth_words=_words(data, "truth_words"),
        claim_nouns=_words(data, "claim_nouns"),
        claim_falsity_words=_words(data, "claim_falsity_words"),
        denial_exclusions=_words(data, "denial_exclusions"),
        threat_nouns=_words(data, "threat_nouns"),
        evidence_cues=_words(data, "evidence_cues"),
        evaluation_words={str(w): float(v) for w, v in data["evaluation_words"].items()},
    )


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    """A top-level word list, every entry a string (a bare YAML true/false/on/no is a bool)."""
    words = data[key]
    if not all(isinstance(w, str) for w in words):
        raise ValueError(f"plover.yaml {key}: every word must be a string")
    return frozenset(words)


def _definition(name: str, entry: dict[str, Any]) -> EventDefinition:
    if entry["quad"] not in get_args(Quad):
        raise ValueError(f"plover.yaml {name}: unknown quad {entry['quad']}")
    needs = entry.get("cue_needs") or {}
    words = [w for key in _WORD_KEYS for w in entry.get(key) or ()]
    words += [w for listed in needs.values() for w in listed]
    if not all(isinstance(w, str) for w in words):  # a bare YAML on/off/yes/no is a bool
        raise ValueError(f"plover.yaml {name}: every word must be a string")
    return EventDefinition(
        type=cast(EventType, name),
        quad=cast(Quad, entry["quad"]),
        intensity=float(entry["intensity"]),
        cues=frozenset(entry.get("cues") or ()),
        cues_if=frozenset(entry.get("cues_if") or ()),
        cue_needs={lemma: frozenset(words) for lemma, words in needs.items()},
        marks=frozenset(entry.get("marks") or ()),
        verbs=frozenset(entry.get("verbs") or ()),
        predicates=frozenset(entry.get("predicates") or ()),
        phrases=tuple(tuple(p.split()) for p in entry.get("phrases") or ()),
        modals=frozenset(entry.get("modals") or ()),
        others_verbs=frozenset(entry.get("others_verbs") or ()),
    )
