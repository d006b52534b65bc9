"""The enricher: one article's text in, its attributed statements out.

How one article is processed (each step in its own module):

1. :mod:`.text` normalises the body without moving any offset, splits paragraphs and sentences
   with a regular expression and pairs quotation marks.
2. A cue-lexicon prefilter (:mod:`.cues`, counted from PolNeAR train) keeps the sentences that
   can hold a statement; :mod:`.model` parses only those (everything else is blanked out).
3. :mod:`.attribution` finds cue, content and source mention in the parsed sentences.
4. :mod:`.speakers` resolves each source mention to the fullest name the article gives, using a
   register of the people named anywhere in the body (cheap name patterns where not parsed).
5. Targets with the speaker's stance toward each (:mod:`.targets`, :mod:`.stance`), topics
   (:mod:`.topics`) and the PLOVER event (:mod:`.plover`) are attached per statement.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc

from stancewire import __version__
from stancewire.events import Content, Cue, Statement, StatementKind, Target
from stancewire.events import Span as TextSpan
from stancewire.nlp.attribution import (
    COLON_SPEAKER,
    DASH_SPEAKER,
    RawAttribution,
    find_attributions,
    find_colon_attributions,
    find_dash_attributions,
)
from stancewire.nlp.cue_model import CueModel, load_cue_model
from stancewire.nlp.cues import CueLexicon, load_lexicon
from stancewire.nlp.model import load_model, parse_sentences, recognise_entities
from stancewire.nlp.people import PersonRegister, build_register
from stancewire.nlp.plover import code_event
from stancewire.nlp.quotations import MAX_CONTINUED_PARAGRAPHS, continue_quotations
from stancewire.nlp.speakers import SpeakerResolver
from stancewire.nlp.targets import find_targets
from stancewire.nlp.text import find_quotes, normalise, split_paragraphs, split_sentences
from stancewire.nlp.topics import assign_topics

ENRICHER_VERSION = f"stancewire-nlp/{__version__}"
# Lowest cue probability (cue model) that makes a statement; chosen on PolNeAR dev (make eval).
DEFAULT_THRESHOLD = 0.5
# Prefilter: lemmas below this reliability cannot reach the threshold even with every bonus.
PREFILTER_RELIABILITY = 0.1

_WORD = re.compile(r"[a-z]+")
_WARM_UP = (
    'President Anna Kovac said on Monday that "talks with Moscow on trade were constructive."'
)


@dataclass(frozen=True)
class Layout:
    """The normalised text of a body (same offsets) and its sentences, paragraphs and
    quotations as (start, end) offsets."""

    text: str
    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]
    quotes: list[tuple[int, int]]


__all__ = ["DEFAULT_THRESHOLD", "ENRICHER_VERSION", "Enricher", "default_enricher", "enrich"]


class Enricher:
    """Holds the loaded language model; create once, call :meth:`enrich` per article."""

    version: str = ENRICHER_VERSION

    def __init__(self, nlp: Language | None = None, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._nlp = nlp
        self.threshold = threshold
        self.lexicon: CueLexicon = load_lexicon(PREFILTER_RELIABILITY)
        self.cue_model: CueModel | None = load_cue_model()

    def load(self) -> None:
        """Load the model and every table the steps read, so that the first article costs no
        more than any other (a worker calls it before it takes work)."""
        # every table is loaded on first use: one statement with a target and a topic uses all
        self.enrich(_WARM_UP)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model()
        return self._nlp

    def enrich(self, body: str) -> list[Statement]:
        """Every statement in ``body``, in article order.

        Odd text gives no statements, never an error; an error raised here is a bug, and the
        worker dead-letters the article as ``enrichment_failed``.
        """
        analysis = self.analyse(body)
        if analysis is None:
            return []
        doc, raw, register, layout = analysis
        text, sentences = layout.text, layout.sentences
        paragraphs, quotes = layout.paragraphs, layout.quotes
        resolver = SpeakerResolver(register, body, sentences)
        statements: list[Statement] = []
        # A statement needs someone who made it: sourceless passives ("the relationship is
        # described as ...") are the article's own voice as often as anyone's.
        attributed = [a for a in _dedupe(raw) if a.source is not None]
        found = continue_quotations(attributed, quotes, paragraphs, text)
        for attribution in found:
            statement = self._statement(
                body, text, doc, attribution, resolver, sentences, paragraphs, quotes
            )
            if statement is not None:
                statements.append(statement)
        return _first_person_in_quotes(statements)

    def analyse(
        self, body: str, threshold: float | Literal["default"] | None = "default"
    ) -> tuple[Doc, list[RawAttribution], PersonRegister, Layout] | None:
        """The parsed doc, raw attributions, people register and layout of ``body``.

        ``threshold=None`` keeps every candidate cue verb unscored by the threshold (the cue
        model's training script reads their features); None is returned for text with no
        candidate sentence.
        """
        if not body or body.isspace():
            return None
        text = normalise(body)
        paragraphs = split_paragraphs(text)
        sentences = [s for p in paragraphs for s in split_sentences(text, p)]
        quotes = find_quotes(text, body)
        candidates = self._candidates(text, sentences, paragraphs, quotes)
        if not candidates:
            return None
        doc = parse_sentences(self.nlp, text, candidates)
        parsed = [s for s in doc.sents if not s.text.isspace()]
        cut = self.threshold if threshold == "default" else threshold
        model = self.cue_model if threshold == "default" else None
        raw = find_attributions(doc, text, parsed, self.lexicon, quotes, cut, model)
        raw += find_colon_attributions(doc, text, paragraphs)
        raw += find_dash_attributions(doc, text, quotes)
        # Entities only where a statement was found: its sentences (speaker, content, targets).
        # Sourceless candidates never become statements (see enrich), so they need none.
        attributed = [a for a in _dedupe(raw) if a.source is not None]
        continued = continue_quotations(attributed, quotes, paragraphs, text)
        holding = _touched(
            candidates,
            [(a.cue_start, a.content_start, a.content_end) for a in raw if a.source is not None]
            + [(a.cue_start, a.content_start, a.content_end) for a in continued],
        )
        recognised = [doc.char_span(s, e, alignment_mode="expand") for s, e in holding]
        recognised_spans = [s for s in recognised if s is not None]
        recognise_entities(self.nlp, doc, recognised_spans)
        register = build_register(doc, text, recognised_spans)
        return doc, raw, register, Layout(text, sentences, paragraphs, quotes)

    def _candidates(
        self,
        text: str,
        sentences: list[tuple[int, int]],
        paragraphs: list[tuple[int, int]],
        quotes: list[tuple[int, int]],
    ) -> list[tuple[int, int]]:
        """Sentences holding a cue form or opening with ``NAME:``, plus the sentences of
        quotations they touch."""
        forms = self.lexicon.forms
        # Signed speech: "NAME: ..." paragraphs and '"..." ― Name' signatures.
        signed = [p for p in paragraphs if COLON_SPEAKER.match(text, p[0], p[1])]
        signed += [(q[1], q[1] + 1) for q in quotes if DASH_SPEAKER.match(text, q[1])]
        signed.sort()  # disjoint: paragraphs never overlap, signatures sit between quotations
        chosen: list[tuple[int, int]] = []
        for start, end in sentences:
            piece = text[start:end].lower()
            if (
                "according to" in piece
                or any(w in forms for w in _WORD.findall(piece))
                or _overlaps_any(signed, start, end)
            ):
                chosen.append((start, end))
        # Sentences of the quotations the chosen sentences touch (the content may run on),
        # and of the quotation paragraphs right after a chosen one (a quotation paragraph
        # with no cue of its own carries on the statement before it).
        touched = [q for q in quotes if _overlaps_any(chosen, q[0], q[1])]
        touched += _quotation_paragraphs_after(chosen, paragraphs, quotes)
        if touched:
            more = _touched(sentences, [(q[0], q[0], q[1]) for q in touched])
            chosen = sorted(set(chosen) | set(more))
        return chosen

    def _statement(
        self,
        body: str,
        text: str,
        doc: Doc,
        attribution: RawAttribution,
        resolver: SpeakerResolver,
        sentences: list[tuple[int, int]],
        paragraphs: list[tuple[int, int]],
        quotes: list[tuple[int, int]],
    ) -> Statement | None:
        a = attribution
        speaker = resolver.resolve(a.source, a.referent)
        low = min(a.cue_start, a.content_start)
        high = max(a.cue_end, a.content_end)
        if speaker.mention is not None:
            low, high = min(low, speaker.mention.start), max(high, speaker.mention.end)
        covering = _overlapping(sentences, low, high)
        span_start = min([low] + [s[0] for s in covering])
        span_end = max([high] + [s[1] for s in covering])
        content = Content(
            text=body[a.content_start : a.content_end], start=a.content_start, end=a.content_end
        )
        sentence_text = body[span_start:span_end]
        holding_cue = _overlapping(paragraphs, a.cue_start, a.cue_start + 1)
        paragraph = holding_cue[0] if holding_cue else (span_start, span_end)
        targets = [
            _cut_mentions(body, t)
            for t in find_targets(
                doc, a.content_start, a.content_end, speaker, cue_lemma=a.cue_lemma
            )
        ]
        topics = assign_topics(
            sentence_text,
            body[paragraph[0] : paragraph[1]],
            content.text,
            cue=body[a.cue_start : a.cue_end],
        )
        cue = Cue(
            text=body[a.cue_start : a.cue_end], lemma=a.cue_lemma, start=a.cue_start, end=a.cue_end
        )
        return Statement(
            span=TextSpan(start=span_start, end=span_end),
            text=sentence_text,
            kind=_kind(text, a.content_start, a.content_end, a.cue_start, quotes),
            cue=cue,
            content=content,
            speaker=speaker,
            targets=targets,
            topics=topics,
            event=code_event(doc, cue, content, speaker, targets),
        )


def _quotation_paragraphs_after(
    chosen: list[tuple[int, int]],
    paragraphs: list[tuple[int, int]],
    quotes: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The paragraphs opening with a quotation that follow a paragraph holding a chosen
    sentence, up to MAX_CONTINUED_PARAGRAPHS in a row (see ``continue_quotations``)."""
    starts = {q[0] for q in quotes}
    found: list[tuple[int, int]] = []
    run = 0
    for previous, paragraph in pairwise(paragraphs):
        if paragraph[0] not in starts:
            run = 0
            continue
        if _overlaps_any(chosen, previous[0], previous[1]) or 0 < run < MAX_CONTINUED_PARAGRAPHS:
            found.append(paragraph)
            run += 1
        else:
            run = 0
    return found


def _overlapping(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The sorted, disjoint ``spans`` that overlap ``[start, end)``."""
    index = max(0, bisect.bisect_left(spans, (start, start)) - 1)
    found: list[tuple[int, int]] = []
    while index < len(spans) and spans[index][0] < end:
        if spans[index][1] > start:
            found.append(spans[index])
        index += 1
    return found


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of the sorted, disjoint ``spans`` overlaps ``[start, end)``."""
    at = bisect.bisect_left(spans, (start, start))
    return any(s < end and start < e for s, e in spans[max(0, at - 1) : at + 1]) or (
        at < len(spans) and spans[at][0] < end
    )


def _touched(
    sentences: list[tuple[int, int]], spans: list[tuple[int, int, int]]
) -> list[tuple[int, int]]:
    """The sentences holding a cue or part of a content (linear in the number of each)."""
    marks: list[tuple[int, int]] = []
    for cue_start, content_start, content_end in spans:
        marks.append((cue_start, cue_start + 1))
        marks.append((content_start, content_end))
    marks.sort()
    chosen: list[tuple[int, int]] = []
    index = 0
    for start, end in sentences:  # sorted, non-overlapping
        while index < len(marks) and marks[index][1] <= start:
            index += 1
        probe = index
        while probe < len(marks) and marks[probe][0] < end:
            if marks[probe][1] > start:
                chosen.append((start, end))
                break
            probe += 1
    return chosen


def _first_person_in_quotes(statements: list[Statement]) -> list[Statement]:
    """'"I think we will win," Moss said': the "I" of a statement inside another statement's
    content is that statement's speaker."""
    out: list[Statement] = []
    for statement in statements:
        speaker = statement.speaker
        mention = speaker.mention
        if mention is not None and speaker.resolution == "none" and mention.text.lower() == "i":
            outer = next(
                (
                    other.speaker
                    for other in statements
                    if other is not statement
                    and other.content.start <= statement.cue.start < other.content.end
                    and other.speaker.resolution != "none"
                    and other.speaker.kind == "person"
                ),
                None,
            )
            if outer is not None:
                speaker = outer.model_copy(update={"mention": mention, "resolution": "pronoun"})
                statement = statement.model_copy(update={"speaker": speaker})
        out.append(statement)
    return out


def _dedupe(found: list[RawAttribution]) -> list[RawAttribution]:
    """One attribution per cue start (the best scoring), in article order."""
    best: dict[int, RawAttribution] = {}
    for attribution in found:
        kept = best.get(attribution.cue_start)
        if kept is None or attribution.score > kept.score:
            best[attribution.cue_start] = attribution
    return sorted(best.values(), key=lambda a: (a.cue_start, a.content_start))


def _kind(
    text: str, start: int, end: int, cue_start: int, quotes: list[tuple[int, int]]
) -> StatementKind:
    """direct: all quoted (a quotation may run on over its own cue: '"...," he said. "..."');
    mixed: partly quoted; indirect: no quotation."""
    overlapping: list[tuple[int, int]] = []
    for q_start, q_end in quotes[max(0, bisect.bisect_left(quotes, (start, start)) - 1) :]:
        if q_start >= end:
            break
        if start < q_end:
            overlapping.append((q_start, q_end))
    if not overlapping:
        return "indirect"
    cursor = start
    for q_start, q_end in [*overlapping, (end, end)]:
        gap = text[cursor:q_start] if q_start > cursor else ""
        if re.search(r"\w", gap) and not cursor <= cue_start < q_start:
            return "mixed"
        cursor = max(cursor, q_end)
    return "direct"


def _cut_mentions(body: str, target: Target) -> Target:
    """Mention texts cut from the original body (the doc holds the normalised text)."""
    mentions = [
        m.model_copy(update={"text": body[m.start : m.end]})
        for m in target.mentions
        if 0 <= m.start <= m.end <= len(body)
    ]
    return target.model_copy(update={"mentions": mentions})


@lru_cache(maxsize=1)
def default_enricher() -> Enricher:
    return Enricher()


def enrich(body: str) -> list[Statement]:
    """Statements in ``body`` using the process-wide default enricher."""
    return default_enricher().enrich(body)
