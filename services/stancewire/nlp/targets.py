"""Targets of a reported statement: the countries, organisations and people its content is
about, each with the speaker's stance toward it.

A target is every mention of one entity in the content (:mod:`.mentions`: "Moscow", "Russian"
and "the Kremlin" are one target ``Russia``/``RU``), plus whom the reporting verb is aimed at
outside the content ("praised [Kazakhstan] for ..."). The speaker is never its own target
(though a speaker found only through a pronoun does not remove a person the content names). The
stance toward each target comes from :func:`stancewire.nlp.stance.stance_toward`, called once
per target over the content (widened to the cue's object when that lies outside it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from stancewire.events import Mention, Speaker, Target
from stancewire.nlp.collective import pair_mentions
from stancewire.nlp.docindex import char_span, doc_index
from stancewire.nlp.entities import NormalizedEntity, fold, normalize_entity
from stancewire.nlp.mentions import EntityMention, find_mentions
from stancewire.nlp.passing import country_in_passing, implausible_person, is_media
from stancewire.nlp.roles import cue_objects, find_cue, is_cue_object
from stancewire.nlp.stance import stance_toward


@dataclass(slots=True)
class _Draft:
    key: tuple[str, str]
    entity: NormalizedEntity
    mentions: list[EntityMention] = field(default_factory=list)


def find_targets(
    doc: Doc,
    content_start: int,
    content_end: int,
    speaker: Speaker,
    *,
    cue_lemma: str | None = None,
) -> list[Target]:
    """Targets of the content ``doc.text[content_start:content_end]`` with the speaker's stance.

    ``doc`` must be parsed (dependencies, lemmas, entities) at least over the sentences holding
    the content; offsets are character offsets into ``doc.text``. ``cue_lemma`` is the reporting
    verb's lemma ("praise", "accuse", "deny"). Targets come in order of first mention.
    """
    content = char_span(doc, content_start, content_end)
    if content is None:
        return []
    mentions = find_mentions(doc, content)
    mentions += _cue_object_mentions(doc, content, cue_lemma, speaker)
    mentions += pair_mentions(doc, content, speaker)  # "the two nations"
    drafts: dict[tuple[str, str], _Draft] = {}
    for found in mentions:
        mention = _as_target(found)
        if mention is None or _is_speaker(mention, speaker):
            continue
        key = _draft_key(doc, mention)
        draft = drafts.setdefault(key, _Draft(key, mention.entity))
        draft.mentions.append(mention)
        if _richer(mention.entity, draft.entity):
            draft.entity = mention.entity
    ordered = sorted(drafts.values(), key=lambda d: min(m.span.start_char for m in d.mentions))
    return [_target(doc, draft, content, cue_lemma) for draft in ordered]


def _as_target(mention: EntityMention) -> EntityMention | None:
    """The mention as a target, or None when it names nothing the content is about: a
    country in passing, a fragment taken for a person; a media outlet is an organisation."""
    kind = mention.entity.kind
    if kind == "country" and country_in_passing(mention.span):
        return None
    if kind == "person":
        name = mention.entity.name
        if is_media(name) or is_media(mention.span.text):
            entity = NormalizedEntity(name, "organization", None)
            return EntityMention(mention.span, entity, ("organization", fold(name)))
        if implausible_person(mention.span.text):
            return None
    return mention


def _draft_key(doc: Doc, mention: EntityMention) -> tuple[str, str]:
    """Mentions of one entity share a key. A person's is their fullest name in the article:
    "Clinton" joins the article's most written Clinton, "Chelsea Clinton" stays apart from
    "Hillary Clinton"."""
    if mention.entity.kind != "person":
        return mention.key
    return ("person", fold(_fullest_person_name(doc, mention.entity.name)))


def _target(doc: Doc, draft: _Draft, content: Span, cue_lemma: str | None) -> Target:
    spans = sorted({(m.span.start_char, m.span.end_char): m.span for m in draft.mentions}.items())
    offsets = [offset for offset, _ in spans]
    # a cue object outside the content widens the context to reach it
    context = (
        min(content.start_char, offsets[0][0]),
        max(content.end_char, max(end for _, end in offsets)),
    )
    entity = draft.entity
    name = _fullest_person_name(doc, entity.name) if entity.kind == "person" else entity.name
    return Target(
        name=name,
        kind=entity.kind,
        country=entity.country,
        mentions=[Mention(text=s.text, start=s.start_char, end=s.end_char) for _, s in spans],
        stance=stance_toward(doc, offsets, context, cue_lemma=cue_lemma),
    )


def _cue_object_mentions(
    doc: Doc, content: Span, cue_lemma: str | None, speaker: Speaker
) -> list[EntityMention]:
    """Entities the cue is aimed at outside the content, next to it: "praised [Kazakhstan]
    for ...", '"...," he told [Reuters]'. The context of their stance then reaches them, so
    nothing but the cue, the speaker and function words may lie between them and the content
    (not another statement's words)."""
    cue = find_cue(doc, content, cue_lemma)
    if cue is None:
        return []
    objects = cue_objects(cue)
    heads = frozenset(t.i for t in objects)
    found: list[EntityMention] = []
    for obj in objects:
        start, end = obj.left_edge.i, obj.right_edge.i + 1
        if start < content.end and content.start < end:
            continue  # the object is (in) the content: its mentions are found there
        found += [
            m
            for m in find_mentions(doc, doc[start:end])
            if is_cue_object(m.span, heads) and _next_to(m.span, content, cue, speaker)
        ]
    return found


_GLUE_POS = frozenset({"ADP", "DET", "SCONJ", "PART", "CCONJ", "PUNCT"})


def _next_to(mention: Span, content: Span, cue: Token, speaker: Speaker) -> bool:
    """Whether only the cue (with its auxiliaries), the speaker's mention, names and function
    words lie between ``mention`` and ``content``."""
    doc = content.doc
    gap = (
        range(mention.end, content.start)
        if mention.end <= content.start
        else range(content.end, mention.start)
    )
    said_by = speaker.mention
    for i in gap:
        token = doc[i]
        if token.pos_ in _GLUE_POS or token.ent_type_ or i == cue.i:
            continue
        if token.head.i == cue.i and token.dep_ in ("aux", "auxpass", "neg"):
            continue
        if said_by is not None and said_by.start <= token.idx < said_by.end:
            continue
        return False
    return True


def _richer(new: NormalizedEntity, old: NormalizedEntity) -> bool:
    return new.kind == "person" and len(new.name) > len(old.name)


def _is_speaker(mention: EntityMention, speaker: Speaker) -> bool:
    """The speaker is never its own target: the same person (unless only a pronoun named
    them), or the country that speaks through a metonym ("the Kremlin said Russia ...")."""
    span = mention.span
    if speaker.mention is not None and (
        span.start_char < speaker.mention.end and speaker.mention.start < span.end_char
    ):
        return True
    kind, key = mention.key
    if kind == "person" and speaker.resolution == "pronoun":
        # "..., he said" taken for Donald Trump while the content names "Donald Trump": a
        # speaker found through a pronoun rarely names themself, the resolution is more often
        # wrong. Of the stance_gold_train* attributions whose pronoun speaker's name is in the
        # content, 9 have that person as a gold target, 1 not.
        return False
    if kind == "person":
        names = {fold(w) for w in speaker.name.split()}
        given = [fold(w) for w in mention.entity.name.split()[:-1]]
        # "Clinton" is Hillary Clinton speaking of herself; "Bill Clinton" is someone else
        same_given = not given or any(w in names for w in given)
        return speaker.kind in ("person", "unknown") and key in names and same_given
    if kind == "country":
        return speaker.kind in ("country", "organization") and speaker.country == key
    if kind == "organization":
        return fold(speaker.name) == key
    return False


def _fullest_person_name(doc: Doc, name: str) -> str:
    """ "Putin" -> "Vladimir Putin" when the article names him in full somewhere."""
    words = name.split()
    if not words:
        return name
    surname = fold(words[-1])
    given = [fold(w) for w in words[:-1]]
    index = doc_index(doc)
    if not given and surname not in index.full_names and surname in index.given_names:
        # a bare "Hillary" is the one person of the article with that given name
        given, surname = [surname], index.given_names[surname]
    best = name
    for text in index.full_names.get(surname, ()):  # most written first
        candidate = _person_name(text)
        if candidate is None or len(candidate[0]) <= len(best):
            continue
        if not given:
            # a bare "Clinton" is the article's most written Clinton, not its longest
            return _fullest_person_name(doc, candidate[0]) if len(candidate[1]) > 1 else name
        # "Bill Clinton" does not become "Hillary Clinton"
        if all(w in candidate[1] for w in given):
            best = candidate[0]
    return best


@lru_cache(maxsize=4096)
def _person_name(text: str) -> tuple[str, frozenset[str]] | None:
    """The normalised person name of an entity text and its folded words."""
    entity = normalize_entity(text, "PERSON")
    if entity is None:
        return None
    return entity.name, frozenset(fold(w) for w in entity.name.split())


__all__ = ["find_targets"]
