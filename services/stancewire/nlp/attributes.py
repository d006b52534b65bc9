"""A cached stand-in for the model's ``attribute_ruler`` (tag -> POS, morphology, lemma fixes).

``en_core_web_sm``'s attribute ruler is a token Matcher with some 180 patterns; on our partial
parses it costs about a tenth of enrichment. All but a handful of its patterns look at one
token only, through its TAG, LOWER, DEP and IS_SPACE; the others look at two tokens ("there
is" after an expletive, and colloquial pairs such as "gonna", "ain't", "let's"). So the ruler's
effect on a token is a function of (TAG, LOWER, DEP, IS_SPACE, follows an expletive): we ask
the real ruler once per distinct key, on a one- or two-token doc, and replay the answer. A doc
holding one of the colloquial pairs goes through the real ruler instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, MorphAnalysis, Token

__all__ = ["CachedAttributeRuler"]

# Lower-case first words of the ruler's two-token lexical patterns.
_PAIR_STARTS = frozenset({"ai", "gon", "got", "let", "c'm", "y", "y'"})
_BE_FORMS = frozenset({"is", "are", "was", "were", "'s", "'re"})

# What the ruler sets on a token: POS, morphology, lemma, tag and dependency label.
Attributes = tuple[str, str, str, str, str]
Key = tuple[str, str, str, bool, bool]


@dataclass
class CachedAttributeRuler:
    """Replays the model's attribute ruler from a per-key cache.

    Only the word forms some pattern names are part of the key (other words share one
    entry), so the cache stays bounded by tags x dependencies x those forms.
    """

    nlp: Language
    cache: dict[Key, Attributes] = field(default_factory=dict)
    words: frozenset[str] = frozenset()
    word_patterns: tuple[re.Pattern[str], ...] = ()

    def __post_init__(self) -> None:
        words: set[str] = set()
        regexes: list[re.Pattern[str]] = []
        ruler = self.nlp.get_pipe("attribute_ruler")
        assert isinstance(ruler, AttributeRuler)
        for pattern in ruler.patterns:
            alternatives: list[list[dict[str, Any]]] = cast(Any, pattern)["patterns"]
            for token_pattern in (t for p in alternatives for t in p):
                lower = token_pattern.get("LOWER")
                if isinstance(lower, str):
                    words.add(lower)
                elif isinstance(lower, dict):
                    words.update(lower.get("IN", []))
                    if "REGEX" in lower:
                        regexes.append(re.compile(lower["REGEX"]))
        self.words = frozenset(words)
        self.word_patterns = tuple(regexes)

    def _word(self, lower: str) -> str:
        if lower in self.words or any(p.search(lower) for p in self.word_patterns):
            return lower
        return ""  # no pattern looks at this word form

    def __call__(self, doc: Doc) -> Doc:
        ruler = self.nlp.get_pipe("attribute_ruler")
        if any(t.lower_ in _PAIR_STARTS for t in doc):
            return ruler(doc)
        previous_expletive = False
        for token in doc:
            key: Key = (
                token.tag_,
                self._word(token.lower_),
                token.dep_,
                token.is_space,
                previous_expletive and token.lower_ in _BE_FORMS,
            )
            previous_expletive = token.dep_ == "expl"
            attributes = self.cache.get(key)
            if attributes is None:
                attributes = self.cache[key] = self._ask(key)
            _apply(token, attributes)
        return doc

    def _ask(self, key: Key) -> Attributes:
        tag, lower, dep, is_space, after_expletive = key
        # Any form no pattern names; a space token must stay a space token.
        word = "\n" if is_space else (lower or "word")
        words = ["there", word] if after_expletive else [word]
        tags = ["EX", tag] if after_expletive else [tag]
        deps = ["expl", dep] if after_expletive else [dep]
        heads = [1, 1] if after_expletive else [0]
        doc = Doc(self.nlp.vocab, words=words, tags=tags, deps=deps, heads=heads)
        doc = self.nlp.get_pipe("attribute_ruler")(doc)
        token = doc[-1]
        return token.pos_, str(token.morph), token.lemma_, token.tag_, token.dep_


def _apply(token: Token, attributes: Attributes) -> None:
    pos, morph, lemma, tag, dep = attributes
    if pos:
        token.pos_ = pos
    token.morph = MorphAnalysis(token.vocab, morph or "")
    if lemma:
        token.lemma_ = lemma
    if tag != token.tag_:
        token.tag_ = tag
    if dep != token.dep_ and dep:
        token.dep_ = dep
