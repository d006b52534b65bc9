"""The topic taxonomy of ``data/topics.yaml``, loaded once: each topic's definition, its
PLOVER and IPTC mapping and its evidence terms, stemmed (:mod:`.topic_words`), and an index
from a term's first stem to the terms that start with it. :mod:`.topics` reads statements
against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, get_args

from stancewire.events import TopicId
from stancewire.nlp.datafiles import data_yaml
from stancewire.nlp.topic_words import stem as stem_word
from stancewire.nlp.topic_words import stems as stem_text

__all__ = ["Term", "TopicDefinition", "taxonomy", "term_index"]


@dataclass(frozen=True, slots=True)
class TopicDefinition:
    """One taxonomy entry as stored in ``data/topics.yaml``."""

    id: TopicId
    definition: str
    plover: tuple[str, ...]
    iptc_code: str
    iptc_label: str
    terms: tuple[tuple[str, ...], ...]  # stemmed
    weak: tuple[tuple[str, ...], ...]  # stemmed
    context: tuple[tuple[str, ...], ...] = ()  # stemmed; strong only in foreign affairs
    # terms with another common sense ("vote" in a legislature), weak when the statement holds
    # one of the words of that sense (stems: "bill", "amendment"): term -> those stems
    other_sense: frozenset[tuple[str, ...]] = frozenset()
    other_sense_words: Mapping[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    # of those, the terms whose sense is read in the whole paragraph ("should choose the
    # nominee" in a paragraph about the Supreme Court), not only the statement
    other_sense_in_paragraph: frozenset[tuple[str, ...]] = frozenset()
    # the ``other_sense`` terms are weak too when their argument is a person's name
    # ("attacked Cruz"): :func:`.topic_words.named_arguments`
    named_argument: bool = False
    # weak terms that are strong right after a person's possessive ("his campaign", "Trump's
    # campaign": the candidate's, where "campaign" alone may be an ad or a bombing campaign):
    # :func:`.topic_words.possessed`
    possessed: frozenset[tuple[str, ...]] = frozenset()
    # strong terms with a common other sense that make the topic only beside a second term of
    # it in the statement (content or sentence): "a prosecutor's bearing", "fiscal 2016"
    needs_company: frozenset[tuple[str, ...]] = frozenset()
    # strong terms that are evidence of this topic only in one sense, read from the words of
    # the statement and its paragraph ("nominee" is the bench's beside "court"): term -> those
    # stems; elsewhere they are weak
    only_beside: Mapping[tuple[str, ...], frozenset[str]] = field(default_factory=dict)


def _stemmed(words: list[str]) -> tuple[tuple[str, ...], ...]:
    """Each term's stems, in file order, without repeats or empty terms."""
    return tuple(dict.fromkeys(tuple(stem_text(str(w))) for w in words if stem_text(str(w))))


def _term_signals(senses: list[dict[str, Any]]) -> dict[tuple[str, ...], frozenset[str]]:
    """Each sense's terms (stemmed) with the stems of the words that tell the sense: the
    ``other_sense`` and ``only_beside`` entries of topics.yaml."""
    out: dict[tuple[str, ...], frozenset[str]] = {}
    for sense in senses:
        signals = frozenset(stem_word(str(w).lower()) for w in sense.get("words") or [])
        for term in _stemmed(sense.get("terms") or []):
            out[term] = out.get(term, frozenset()) | signals
    return out


@lru_cache(maxsize=1)
def taxonomy() -> tuple[TopicDefinition, ...]:
    """The taxonomy, in file order; raises if an id is missing or unknown."""
    entries = data_yaml("topics.yaml")["topics"]
    known = set(get_args(TopicId))
    if set(entries) != known:
        raise ValueError(f"topics.yaml ids differ from TopicId: {set(entries) ^ known}")
    definitions: list[TopicDefinition] = []
    for topic_id, entry in entries.items():
        words = [
            *(entry.get("terms") or []),
            *(entry.get("weak") or []),
            *(entry.get("context") or []),
        ]
        # one sense (a mapping) or several (a list of them), each its terms and its words
        raw_senses = entry.get("other_sense") or []
        senses = [raw_senses] if isinstance(raw_senses, dict) else list(raw_senses)
        beside = entry.get("only_beside") or []
        for sense in [*senses, *beside]:
            words += [*(sense.get("terms") or []), *(sense.get("words") or [])]
        if not all(isinstance(w, str) for w in words):  # YAML reads a bare no/on as a boolean
            raise ValueError(f"topics.yaml {topic_id}: every term must be a string")
        sense_words = _term_signals(senses)
        in_paragraph = {
            term
            for sense in senses
            if sense.get("paragraph", False)
            for term in _stemmed(sense.get("terms") or [])
        }
        definitions.append(
            TopicDefinition(
                id=topic_id,
                definition=str(entry["definition"]),
                plover=tuple(str(p) for p in entry["plover"]),
                iptc_code=str(entry["iptc"]["code"]),
                iptc_label=str(entry["iptc"]["label"]),
                terms=_stemmed(entry.get("terms") or []),
                weak=_stemmed(entry.get("weak") or []),
                context=_stemmed(entry.get("context") or []),
                other_sense=frozenset(sense_words),
                other_sense_words=sense_words,
                other_sense_in_paragraph=frozenset(in_paragraph),
                named_argument=any(sense.get("named_argument", False) for sense in senses),
                possessed=frozenset(_stemmed(entry.get("possessed") or [])),
                needs_company=frozenset(_stemmed(entry.get("needs_company") or [])),
                only_beside=_term_signals(beside),
            )
        )
    return tuple(definitions)


# stemmed words and their kind: "strong" makes a topic; "weak" only adds weight to one;
# "context" is strong in a foreign-affairs context, weak otherwise
Term = tuple[tuple[str, ...], str]


@lru_cache(maxsize=1)
def term_index() -> dict[str, list[tuple[int, Term]]]:
    """First stem -> (topic position, term), so a text is matched only against the terms
    that can start at one of its words."""
    index: dict[str, list[tuple[int, Term]]] = {}
    for position, definition in enumerate(taxonomy()):
        kinds: dict[tuple[str, ...], str] = {}
        # one kind per stem sequence, the strongest: "cooperate" (weak) and "cooperation"
        # (context) share the stem "cooper"
        for kind, terms in (
            ("strong", definition.terms),
            ("context", definition.context),
            ("weak", definition.weak),
        ):
            for stems in terms:
                kinds.setdefault(stems, kind)
        for stems, kind in kinds.items():
            index.setdefault(stems[0], []).append((position, (stems, kind)))
    return index
