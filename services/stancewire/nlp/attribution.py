"""Attribution: find each reporting cue in a parsed sentence, its content and its source.

Works on a spaCy doc whose character offsets are body offsets (see :mod:`.model`). A cue is a
verb whose lemma the PolNeAR-derived lexicon knows (``said``, ``emphasized``, ``pointed to``,
``believes``), the phrase ``according to``, or a noun cue in ``in a statement`` / ``a statement
from``. Its content is the clause it governs (``ccomp``, ``xcomp``, objects and prepositional
complements), or the clause it is attached to when the quote comes first (``"...," he said``).
Its source is the subject, the agent of a passive, the object of ``according to``/``from``, or
the subject inherited from the verb it hangs off (``..., noting that``): :mod:`.sources`.
Contents that start or end inside a quotation are widened to the whole quotation, across
sentences and paragraphs, and a quoted content runs on over the quotation paragraphs after it:
:mod:`.quotations`. What a verb cue governs is read by :mod:`.contents`; the cues that are no
reporting verb ("according to", "In a CBS News poll,", "made it clear", noun cues) are in
:mod:`.cue_frames`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from stancewire.nlp.contents import (
    clause_before_cue,
    content_of_verb,
    has_substance,
    is_as_aside,
    is_the_source,
    not_what_was_said,
    only_setting,
    through_colon_list,
    without_coordinated_report,
    without_trailing_aside,
)
from stancewire.nlp.cue_frames import according_to, in_poll, noun_cue, phrase_cue
from stancewire.nlp.cue_model import CueModel
from stancewire.nlp.cues import CueLexicon, load_as_cues, load_evidence_cues
from stancewire.nlp.datafiles import read_data
from stancewire.nlp.quotations import adjacent_quote, is_quoted, trim_punct, widen_to_quotes
from stancewire.nlp.raw_attribution import RawAttribution, span_of
from stancewire.nlp.sources import RELATIVE_PRONOUNS, mention_span, source_kind, source_of_verb

__all__ = [
    "COLON_SPEAKER",
    "DASH_SPEAKER",
    "RawAttribution",
    "find_attributions",
    "find_colon_attributions",
    "find_dash_attributions",
]

# Quotation marks, straight and curly (the text is normalised, but a content may open with
# either kind inside a quotation).
QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019"
# First words of a content the cue model tells apart (what the cue governs opens with them:
# "said that", "asked whether", "wants to", "thinks he", ...); the rest are "other".
CLAUSE_OPENERS = frozenset({"that", "to", "if", "whether"})
CONTENT_OPENERS = CLAUSE_OPENERS | frozenset(
    {"the", "a", "he", "she", "they", "it", "i", "we", "what", "how", "why"}
)

# "PENCE: Well, look, ..." (transcripts) and "Pat Caddell: Democrat Voters Worried ..."
# (headlines): a short capitalised name opening a paragraph, then a colon.
COLON_SPEAKER = re.compile(r"\"?([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3}):[ \t]+(?=\S)")
# '"...." ― Sonya Herridge' (quotations signed with a dash, as in readers' voices).
DASH_SPEAKER = re.compile(r"\s*[―—–]\s*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3})")


@lru_cache(maxsize=1)
def _not_speakers() -> frozenset[str]:
    """Paragraph labels that look like "NAME:" but are not speakers (data file)."""
    raw = read_data("not_speakers.txt")
    return frozenset(
        line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


def find_attributions(
    doc: Doc,
    text: str,
    sentences: list[Span],
    lexicon: CueLexicon,
    quotes: list[tuple[int, int]],
    threshold: float | None,
    model: CueModel | None = None,
) -> list[RawAttribution]:
    """Every attribution in ``sentences`` scoring at least ``threshold`` (all when None).

    ``text`` is the normalised body (``doc.text`` has the unparsed sentences blanked, and
    spaCy rebuilds that string on every read).

    Verb cues are scored by ``model`` (probability of being a cue) when given, else by the
    lexicon reliability plus syntax bonuses.
    """
    found: list[RawAttribution] = []
    quote_starts = [q[0] for q in quotes]
    for sentence in sentences:
        for token in sentence:
            quoted = is_quoted(token.idx, quotes, quote_starts)
            attribution = (
                according_to(token)
                or in_poll(token)
                or _verb_cue(token, text, quotes, lexicon, threshold, model, quoted)
            )
            if attribution is None and threshold is not None:
                attribution = noun_cue(token, lexicon, threshold)
            if attribution is None:
                attribution = phrase_cue(token, quoted)
            if attribution is None:
                continue
            found.append(widen_to_quotes(attribution, quotes, text))
    return found


def find_colon_attributions(
    doc: Doc, text: str, paragraphs: list[tuple[int, int]]
) -> list[RawAttribution]:
    """``NAME: what was said`` paragraphs (interview transcripts, headline attributions)."""
    found: list[RawAttribution] = []
    for p_start, p_end in paragraphs:
        match = COLON_SPEAKER.match(text, p_start, p_end)
        if match is None or match.group(1).split()[0].lower().strip(".'") in _not_speakers():
            continue
        source = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        # the tagger reads a one-word headline name as a noun ("Trump: Clinton should ...")
        if source is None or not any(t.pos_ in ("PROPN", "NOUN") or t.is_upper for t in source):
            continue
        content_start, content_end = trim_punct(text, match.end(), p_end)
        if content_start >= content_end:
            continue
        colon = match.end(1)
        found.append(
            RawAttribution(
                colon, colon + 1, ":", content_start, content_end, source, 0.9, source.root
            )
        )
    return found


def find_dash_attributions(
    doc: Doc, text: str, quotes: list[tuple[int, int]]
) -> list[RawAttribution]:
    """Quotations signed with a dash and a name: '"We deserve better." ― Ana Ruiz'."""
    found: list[RawAttribution] = []
    for q_start, q_end in quotes:
        match = DASH_SPEAKER.match(text, q_end)
        if match is None:
            continue
        source = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if source is None or not any(t.pos_ == "PROPN" for t in source):
            continue
        content_start, content_end = trim_punct(text, q_start, q_end)
        if content_start >= content_end:
            continue
        dash = match.start(1) - 1
        while dash > q_end and text[dash].isspace():
            dash -= 1
        found.append(
            RawAttribution(
                dash, dash + 1, text[dash], content_start, content_end, source, 0.9, source.root
            )
        )
    return found


# ----------------------------------------------------------------------------- cue kinds


def _verb_cue(
    token: Token,
    text: str,
    quotes: list[tuple[int, int]],
    lexicon: CueLexicon,
    threshold: float | None,
    model: CueModel | None,
    quoted: bool,
) -> RawAttribution | None:
    if token.pos_ != "VERB":
        return None
    reliability = lexicon.score(token.lemma_, "VERB")
    if reliability <= 0.0:
        return None
    source = source_of_verb(token)
    content, shape = _what_was_said(token, source, text, quotes, lexicon)
    if content is None:
        return None
    features = cue_features(
        token,
        reliability,
        shape,
        source,
        quoted,
        text[content[0] : content[1]],
        content[0],
        opens_quote=content[0] > 0 and text[content[0] - 1] in QUOTE_MARKS,
    )
    if model is not None:
        # Wire-service verbs (emphasize, underscore, reiterate) are too rare in PolNeAR train
        # for the model to score them well: their prior from cues_extra.json is a floor.
        prior = lexicon.priors.get((token.lemma_.lower(), "VERB"), 0.0)
        # "a poll shows Clinton with a lead": show and find report a poll's or a record's say.
        subject = source.root.lemma_ if source is not None else None
        prior = max(prior, load_evidence_cues().prior(token.lemma_, subject))
        if is_as_aside(token):
            prior = max(prior, load_as_cues().reliability)
        score = max(model.probability(features), prior)
    else:
        score = _score(reliability, shape, source is not None)
    if threshold is not None and score < threshold:
        return None
    referent = None
    if source is not None and len(source) == 1 and source.root.lower_ in RELATIVE_PRONOUNS:
        head = source.root.head
        if head.dep_ == "relcl":
            referent = mention_span(head.head)
    return RawAttribution(
        token.idx,
        _cue_end(token),
        token.lemma_.lower(),
        *content,
        source,
        score,
        token,
        referent,
        features,
    )


def _what_was_said(
    verb: Token,
    source: Span | None,
    text: str,
    quotes: list[tuple[int, int]],
    lexicon: CueLexicon,
) -> tuple[tuple[int, int] | None, str]:
    """The span of what a cue verb says (None when nothing) and the shape it came from: the
    clause it governs, corrected where the parse misleads, else the quotation next to it."""
    content_words, shape = content_of_verb(verb)
    content_words = without_trailing_aside(content_words)
    content_words = without_coordinated_report(content_words, lexicon)
    content = span_of(content_words) if has_substance(content_words) else None
    if content is not None and not_what_was_said(verb, content_words):
        # '"...," Clinton told ABC News.' / '"...," he said, not finishing his joke.': the
        # hearer or the manner of speaking; what was said is the quotation next to the cue.
        content = adjacent_quote(verb, source, quotes, text) or content
        shape = "clause"
    elif content is not None and only_setting(verb, content_words):
        # '"...," she said in a statement / to People / on CNN': where or to whom it was
        # said; what was said is the quotation next to the cue, when there is one (also after
        # the setting: 'tweeted in response: "..."', 'saying at one point, "..."': in PolNeAR
        # train a common reporting verb, such a setting and a comma or colon before a
        # quotation have that quotation as the gold content 17 times of 28).
        quote = adjacent_quote(verb, source, quotes, text, _past(verb, content))
        if quote is not None:
            content, shape = quote, "clause"
        else:
            # "Clinton thinks ..., Bill Clinton said this week at an event": the parser hung
            # the cue on the clause before it; that clause is what was said.
            lead = clause_before_cue(verb, source)
            if lead is not None:
                content, shape = lead, "clause"
    if content is not None and is_the_source(content, source):
        # '"How big is that wall?" asked the boy': the inverted subject the parser read as
        # the object is who spoke; what was said is the quotation next to the cue.
        content = adjacent_quote(verb, source, quotes, text)
    if content is not None and content[0] > verb.idx:
        content = through_colon_list(verb, content, text)
    if content is None:
        # 'How many times must we see this?" Clinton said.' / 'He said: "..."': the parser
        # left the quotation outside the cue's clause; take the quotation next to it.
        content = adjacent_quote(verb, source, quotes, text) or clause_before_cue(verb, source)
        shape = "clause"
    return content, shape


def _past(verb: Token, content: tuple[int, int]) -> int | None:
    """The end of a content that follows its cue (None when it comes first)."""
    return content[1] if content[0] > verb.idx else None


def cue_features(
    verb: Token,
    reliability: float,
    shape: str,
    source: Span | None,
    quoted: bool,
    content: str,
    content_start: int,
    *,
    opens_quote: bool = False,
) -> tuple[str, ...]:
    """Binary features of a candidate cue verb (see :mod:`.cue_model`); ``content`` is the
    text of what it governs, ``opens_quote`` whether a quotation mark opens it.

    Besides the shape of the candidate, each verb gets its own weight for the contexts in
    which its use differs most ("think" in a first-person quotation, "want" with an object,
    "call" with a clause): the lemma crossed with the quotation, the source, the side and
    length of the content, the dependency, the tag and a negation; rare verbs lean on their
    reliability crossed with the shape, the side and the quotation of the content instead."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    kind = source_kind(source)
    words = content.split()
    content_left = content_start < verb.idx
    length = "1" if len(words) <= 1 else "2-4" if len(words) <= 4 else "5+"
    negated = any(c.dep_ == "neg" for c in children)
    first = words[0].lower().strip(QUOTE_MARKS) if words else "-"
    opener = first if first in CONTENT_OPENERS else "other"
    quoted_content = opens_quote or content[:1] in QUOTE_MARKS
    rel = min(int(reliability * 10), 9)
    return (
        f"lemma={lemma}",
        f"rel={rel}",
        f"shape={shape}",
        f"lemma|shape={lemma}|{shape}",
        f"dep={verb.dep_}",
        f"dep|shape={verb.dep_}|{shape}",
        f"tag={verb.tag_}",
        f"src={kind}",
        f"src|shape={kind}|{shape}",
        f"quoted={quoted}",
        f"quoted|src={quoted}|{kind}",
        f"neg={negated}",
        f"aux={'|'.join(sorted(c.lower_ for c in children if c.dep_ == 'aux')) or '-'}",
        f"content_left={content_left}",
        f"content_len={length}",
        f"shape|len={shape}|{length}",
        f"lemma|quoted={lemma}|{quoted}",
        f"lemma|src={lemma}|{kind}",
        f"lemma|content_left={lemma}|{content_left}",
        f"lemma|content_len={lemma}|{length}",
        f"lemma|dep={lemma}|{verb.dep_}",
        f"lemma|tag={lemma}|{verb.tag_}",
        f"lemma|neg={lemma}|{negated}",
        f"quoted_content={quoted_content}",
        f"lemma|quoted_content={lemma}|{quoted_content}",
        f"has_quote={any(mark in content for mark in QUOTE_MARKS)}",
        f"opener={opener}",
        f"lemma|opener={lemma}|{opener if opener in CLAUSE_OPENERS else 'other'}",
        f"left|quoted_content={content_left}|{quoted_content}",
        f"rel|shape={rel}|{shape}",
        f"rel|content_left={rel}|{content_left}",
        f"rel|quoted_content={rel}|{quoted_content}",
    )


def _score(reliability: float, shape: str, has_source: bool) -> float:
    """How sure we are that the verb reports something, from its PolNeAR reliability and
    the syntax around it."""
    bonus = {"clause": 0.35, "xcomp": 0.15, "object": 0.0, "none": -1.0}[shape]
    if has_source:
        bonus += 0.05
    return reliability + bonus


def _cue_end(verb: Token) -> int:
    """End of the cue: the verb plus a particle or bare preposition (``pointed to``)."""
    end = verb.idx + len(verb)
    for child in verb.children:
        if child.i == verb.i + 1 and child.dep_ in ("prt",):
            end = child.idx + len(child)
    return end
