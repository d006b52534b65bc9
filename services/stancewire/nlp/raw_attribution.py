"""A found attribution before its speaker is resolved, and the character span of its words.

Shared by :mod:`.attribution` (verb cues), :mod:`.cue_frames` (the other cue kinds) and
:mod:`.quotations` (which widens contents to whole quotations).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

__all__ = ["RawAttribution", "span_of"]


@dataclass(frozen=True)
class RawAttribution:
    """A cue with its content and source mention, before the speaker is resolved."""

    cue_start: int
    cue_end: int
    cue_lemma: str
    content_start: int
    content_end: int
    source: Span | None
    score: float
    verb: Token
    # What the source mention stands for when it is a relative pronoun ("who").
    referent: Span | None = None
    features: tuple[str, ...] = ()


def span_of(words: list[Token]) -> tuple[int, int] | None:
    """Character span from the first to the last word, trimmed of punctuation and spaces."""
    kept = sorted((t for t in words if not (t.is_punct or t.is_space)), key=lambda t: t.i)
    if not kept:
        return None
    return kept[0].idx, kept[-1].idx + len(kept[-1])
