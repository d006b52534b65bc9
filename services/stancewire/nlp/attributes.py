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

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, MorphAnalysis
from thinc.types import Ints2d

__all__ = ["CachedAttributeRuler"]

# Lower-case first words of the ruler's two-token lexical patterns.
_PAIR_STARTS = frozenset({"ai", "gon", "got", "let", "c'm", "y", "y'"})
_BE_FORMS = frozenset({"is", "are", "was", "were", "'s", "'re"})

# What the ruler sets on a token (POS id; morphology, lemma, tag, dependency hashes), keyed by
# the hashes of (TAG, pattern word or 0, DEP), IS_SPACE and "follows an expletive".
IntAttributes = tuple[int, int, int, int, int]
IntKey = tuple[int, int, int, bool, bool]


@dataclass
class CachedAttributeRuler:
    """Replays the model's attribute ruler from a per-key cache.

    Only the word forms some pattern names are part of the key (other words share one
    entry), so the cache stays bounded by tags x dependencies x those forms. The key is made
    of string hashes read in one array from the doc, and POS, morphology and lemma are written
    back in one array: a per-token attribute access costs more than the lookup itself.
    """

    nlp: Language
    cache: dict[IntKey, IntAttributes] = field(default_factory=dict)
    words: frozenset[str] = frozenset()
    word_patterns: tuple[re.Pattern[str], ...] = ()
    _word_keys: dict[int, int] = field(default_factory=dict)  # LOWER hash -> key word hash

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
        strings = self.nlp.vocab.strings
        self._pair_starts = frozenset(strings.add(w) for w in _PAIR_STARTS)
        self._be_forms = frozenset(strings.add(w) for w in _BE_FORMS)
        self._expl = strings.add("expl")

    def _word(self, lower: str) -> str:
        if lower in self.words or any(p.search(lower) for p in self.word_patterns):
            return lower
        return ""  # no pattern looks at this word form

    def _word_key(self, lower: int) -> int:
        key = self._word_keys.get(lower)
        if key is None:
            word = self._word(self.nlp.vocab.strings[lower])
            key = self._word_keys[lower] = self.nlp.vocab.strings.add(word) if word else 0
        return key

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        table = doc.to_array([TAG, LOWER, DEP, IS_SPACE, POS, MORPH, LEMMA])
        rows: list[list[int]] = table.tolist()
        out = table[:, 4:7].copy()
        fixes: list[tuple[int, int, int]] = []
        previous_expletive = False
        for i, (tag, lower, dep, is_space, _pos, _morph, _lemma) in enumerate(rows):
            key: IntKey = (
                tag,
                self._word_key(lower),
                dep,
                bool(is_space),
                previous_expletive and lower in self._be_forms,
            )
            previous_expletive = dep == self._expl
            attributes = self.cache.get(key)
            if attributes is None:
                attributes = self.cache[key] = self._ask(key)
            pos, morph, lemma, new_tag, new_dep = attributes
            if pos:
                out[i, 0] = pos
            out[i, 1] = morph
            if lemma:
                out[i, 2] = lemma
            if new_tag != tag or (new_dep and new_dep != dep):
                fixes.append((i, new_tag, new_dep))
        for i in range(len(rows) - 1):
            if rows[i][1] in self._pair_starts:  # "gonna", "ain't", "let's": the real ruler
                fixes += self._pair(doc, i, out)
        doc.from_array([POS, MORPH, LEMMA], cast(Ints2d, out))
        for i, new_tag, new_dep in fixes:  # one pattern each sets TAG and DEP
            token = doc[i]
            if new_tag != token.tag:
                token.tag = new_tag
            if new_dep and new_dep != token.dep:
                token.dep = new_dep
        return doc

    def _pair(self, doc: Doc, i: int, out: Any) -> list[tuple[int, int, int]]:
        """Tokens ``i`` and ``i + 1`` as the real ruler annotates them together, written into
        ``out``; the tag and dependency changes it makes, if any."""
        pair = Doc(
            self.nlp.vocab,
            words=[doc[i].text, doc[i + 1].text],
            tags=[doc[i].tag_, doc[i + 1].tag_],
            deps=[doc[i].dep_, doc[i + 1].dep_],
            heads=[0, 1],
        )
        pair = self.nlp.get_pipe("attribute_ruler")(pair)
        fixes: list[tuple[int, int, int]] = []
        for k, token in enumerate(pair):
            if token.pos:
                out[i + k, 0] = token.pos
            out[i + k, 1] = int(cast(Any, MorphAnalysis(self.nlp.vocab, str(token.morph))).key)
            if token.lemma:
                out[i + k, 2] = token.lemma
            fixes.append((i + k, token.tag, token.dep))
        return fixes

    def _ask(self, key: IntKey) -> IntAttributes:
        tag_key, lower_key, dep_key, is_space, after_expletive = key
        strings = self.nlp.vocab.strings
        tag, lower, dep = (
            strings[tag_key],
            strings[lower_key] if lower_key else "",
            strings[dep_key],
        )
        # Any form no pattern names; a space token must stay a space token.
        word = "\n" if is_space else (lower or "word")
        words = ["there", word] if after_expletive else [word]
        tags = ["EX", tag] if after_expletive else [tag]
        deps = ["expl", dep] if after_expletive else [dep]
        heads = [1, 1] if after_expletive else [0]
        doc = Doc(self.nlp.vocab, words=words, tags=tags, deps=deps, heads=heads)
        doc = self.nlp.get_pipe("attribute_ruler")(doc)
        token = doc[-1]
        # what the ruler leaves unset is the empty analysis, as setting it explicitly gives
        morph = int(cast(Any, MorphAnalysis(self.nlp.vocab, str(token.morph) or "")).key)
        return token.pos, morph, token.lemma, token.tag, token.dep
