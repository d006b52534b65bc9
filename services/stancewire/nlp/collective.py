"""Collective pairs ("the two nations"): the two countries a noun phrase names, resolved.

News names a bilateral pair once and then calls it "the two countries", "both nations", "the
two neighbours" ("cooperation with Russia, noting that the two nations share the world's
longest border"). The phrase refers to the two countries named last before it, in its
sentence or the two before. As a target it stands for the one of the two that is not the
speaker's own country (a speaker is not its own target); for a speaker without a country, for
both.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from stancewire.events import Speaker
from stancewire.nlp.mentions import EntityMention, find_mentions

PAIR_NOUNS = frozenset(
    {"nation", "country", "state", "neighbor", "neighbour", "government", "capital", "side"}
)
PAIR_WORDS = frozenset({"two", "both"})
SENTENCES_BACK = 2  # the phrase's sentence and the two before it


def pair_mentions(doc: Doc, content: Span, speaker: Speaker) -> list[EntityMention]:
    """Country mentions for each "the two nations" / "both countries" phrase in ``content``."""
    found: list[EntityMention] = []
    for token in content:
        if token.lower_ not in PAIR_WORDS or token.i + 1 >= content.end:
            continue
        noun = doc[token.i + 1]
        if noun.tag_ not in ("NNS", "NNPS") or noun.lemma_.lower() not in PAIR_NOUNS:
            continue
        if token.lower_ == "two" and (token.i == 0 or doc[token.i - 1].lower_ != "the"):
            continue  # "two countries" is any two; "the two countries" is the pair
        start = token.i - 1 if token.lower_ == "two" else token.i
        phrase = doc[start : noun.i + 1]
        pair = _last_two_countries(doc, phrase)
        if len(pair) < 2:
            continue
        for country in pair:
            if speaker.country is not None and country.entity.country == speaker.country:
                continue
            found.append(EntityMention(phrase, country.entity, country.key))
    return found


def _last_two_countries(doc: Doc, phrase: Span) -> list[EntityMention]:
    """The two distinct countries named last before ``phrase`` (its sentence and the
    :data:`SENTENCES_BACK` before it), most recent first."""
    sentence = phrase.sent
    first = sentence.start
    for _ in range(SENTENCES_BACK):
        if first == 0:
            break
        first = doc[first - 1].sent.start
    if phrase.start <= first:
        return []
    before = doc[first : phrase.start]
    countries = [m for m in find_mentions(doc, before) if m.entity.kind == "country"]
    countries.sort(key=lambda m: m.span.start, reverse=True)
    pair: list[EntityMention] = []
    for mention in countries:
        if all(mention.key != other.key for other in pair):
            pair.append(mention)
        if len(pair) == 2:
            break
    return pair


__all__ = ["pair_mentions"]
