"""Attribution: find each reporting cue in a parsed sentence, its content and its source.

Works on a spaCy doc whose character offsets are body offsets (see :mod:`.model`). A cue is a
verb whose lemma the PolNeAR-derived lexicon knows (``said``, ``emphasized``, ``pointed to``,
``believes``), the phrase ``according to``, or a noun cue in ``in a statement`` / ``a statement
from``. Its content is the clause it governs (``ccomp``, ``xcomp``, objects and prepositional
complements), or the clause it is attached to when the quote comes first (``"...," he said``).
Its source is the subject, the agent of a passive, the object of ``according to``/``from``, or
the subject inherited from the verb it hangs off (``..., noting that``). Contents that start or
end inside a quotation are widened to the whole quotation, across sentences and paragraphs.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from stancewire.nlp.cue_model import CueModel
from stancewire.nlp.cues import CueLexicon
from stancewire.nlp.datafiles import read_data
from stancewire.nlp.people import entity_around

__all__ = [
    "COLON_SPEAKER",
    "DASH_SPEAKER",
    "RawAttribution",
    "continue_quotations",
    "find_attributions",
    "find_colon_attributions",
    "find_dash_attributions",
]

# "PENCE: Well, look, ..." (transcripts) and "Pat Caddell: Democrat Voters Worried ..."
# (headlines): a short capitalised name opening a paragraph, then a colon.
COLON_SPEAKER = re.compile(r"\"?([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3}):[ \t]+(?=\S)")
# '"...." ― Sonya Herridge' (quotations signed with a dash, as in readers' voices).
DASH_SPEAKER = re.compile(r"\s*[―—–]\s*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3})")
# Children of a cue verb that belong to what was said.
CONTENT_DEPS = frozenset(
    {"ccomp", "xcomp", "dobj", "dative", "prep", "attr", "oprd", "acomp", "pcomp", "obj"}
)
# Prepositions that open a time or place adjunct rather than part of what was said.
ADJUNCT_PREPS = frozenset(
    {"in", "at", "during", "since", "after", "before", "until", "amid", "throughout", "while"}
)
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Verbs whose dependents carry the subject down to a cue hanging off them.
INHERIT_DEPS = frozenset({"advcl", "xcomp", "conj", "ccomp", "pcomp", "prep"})
# Prepositions that open what a noun cue says ("support for", "attacks on", "views about").
NOUN_CONTENT_PREPS = frozenset({"for", "of", "on", "about", "against", "over", "to"})
# How much a noun cue's complement adds to its PolNeAR reliability (a "that" clause says more).
NOUN_CLAUSE_BONUS = 0.35
NOUN_PHRASE_BONUS = 0.2


@lru_cache(maxsize=1)
def _not_speakers() -> frozenset[str]:
    """Paragraph labels that look like "NAME:" but are not speakers (data file)."""
    raw = read_data("not_speakers.txt")
    return frozenset(
        line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


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
            attribution = _according_to(token) or _verb_cue(
                token,
                text,
                quotes,
                lexicon,
                threshold,
                model,
                _quoted(token.idx, quotes, quote_starts),
            )
            if attribution is None and threshold is not None:
                attribution = _noun_cue(token, lexicon, threshold)
            if attribution is None:
                continue
            found.append(_widen_to_quotes(attribution, quotes, text))
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
        content_start, content_end = _trim_punct(text, match.end(), p_end)
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
        content_start, content_end = _trim_punct(text, q_start, q_end)
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


# Between a cue ('"...," he said') and the quotation that carries on after it, no quotation
# mark: a few words ending in punctuation ("in a statement."; a quotation right after a word is
# a title or a phrase of the sentence: he said on ABC's "This Week"), or the rest of the cue's
# sentence up to SENTENCE_BRIDGE characters ('"...," Graham told CBS News on Super Tuesday, when
# a dozen states held contests. "But ..."'; 150 and 300 score the same on PolNeAR train), and
# a conjunction opening the next sentence before its quotation ('he said. But "..."').
SENTENCE_BRIDGE = 200
_BRIDGE = re.compile(
    r"(?:[^\"\n]{0,59}[,.:;!?\-\u2013\u2014]|[^\"\n]{0," + str(SENTENCE_BRIDGE) + r"}[.!?])?\s*"
    r"(?:(?:But|And|So|Then)\s+)?"  # '"...," he said. But "..."'
)


def continue_quotations(
    found: list[RawAttribution],
    quotes: list[tuple[int, int]],
    paragraphs: list[tuple[int, int]],
    text: str,
) -> list[RawAttribution]:
    """Widen a quotation's content over its cue to the quotation that carries on right after
    it in the same paragraph ('"We will win," he said. "They know it."'), unless another
    cue claims that quotation. The content then spans the cue, as one span must. A quoted
    content (or one that ends introducing a quotation: "said that:") whose paragraph ends with
    it also runs on over the paragraphs after it that are nothing but one quotation that no
    other cue claims: the newspaper convention gives an unattributed quotation paragraph to
    the speaker before it."""
    claimed = sorted((a.content_start, a.content_end) for a in found)
    out: list[RawAttribution] = []
    for attribution in found:
        continued = _continued(attribution, quotes, paragraphs, text, claimed)
        out.append(_over_paragraphs(continued, quotes, paragraphs, text, claimed))
    return out


# Quotation paragraphs a content may run on over ('"...," he said.' then '"But ..."').
MAX_CONTINUED_PARAGRAPHS = 3


def _over_paragraphs(
    attribution: RawAttribution,
    quotes: list[tuple[int, int]],
    paragraphs: list[tuple[int, int]],
    text: str,
    claimed: list[tuple[int, int]],
) -> RawAttribution:
    a = attribution
    at = bisect.bisect_right(paragraphs, (a.content_end, len(text))) - 1
    if at < 0 or not paragraphs[at][0] <= a.content_end - 1 < paragraphs[at][1]:
        return a
    if not paragraphs[at][0] <= a.cue_start < paragraphs[at][1]:
        return a  # the content already left the cue's paragraph
    right = max(a.content_end, a.cue_end)
    if a.source is not None:
        right = max(right, a.source.end_char)
    quoted = _quote_at(quotes, a.content_end - 1)
    if quoted is not None:
        right = max(right, quoted[1])
    elif not text.startswith(":", a.content_end):
        return a  # an indirect content: the quotation after it may be anyone's
    if not _BRIDGE.fullmatch(_untitled(text, right, paragraphs[at][1], quotes)):
        return a  # more of the paragraph follows the content and its cue
    end = a.content_end
    for p_start, p_end in paragraphs[at + 1 : at + 1 + MAX_CONTINUED_PARAGRAPHS]:
        quote = _quote_at(quotes, p_start)
        if quote is None or quote[0] != p_start or text[quote[1] : p_end].strip(_TRIM):
            break  # not one quotation from the paragraph's start to its end
        first = bisect.bisect_left(claimed, (quote[0], quote[0]))
        nearby = claimed[max(0, first - 8) : bisect.bisect_left(claimed, (quote[1], quote[1]))]
        if any(s < quote[1] and quote[0] < e for s, e in nearby if s != a.content_start):
            break
        end = _trim_punct(text, quote[0], quote[1])[1]
    return replace(a, content_end=end) if end > a.content_end else a


# A quoted title: a few words, most capitalised, right after a name or a possessive ('on
# CNN's "State of the Union"', 'ABC's "This Week."'), not a quotation of what was said.
_TITLE_WORDS = 8


def _is_title(text: str, quote: tuple[int, int]) -> bool:
    start, end = _trim_punct(text, *quote)
    words = text[start:end].split()
    before = text[max(0, quote[0] - 30) : quote[0]].split()
    owner = before[-1] if before else ""
    if not words or len(words) > _TITLE_WORDS or not (owner[:1].isupper() or owner.endswith("'s")):
        return False
    capitalised = sum(w[:1].isupper() or not w[:1].isalpha() for w in words)
    return words[0][:1].isupper() and 2 * capitalised >= len(words)


def _untitled(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with the quotation marks of quoted titles in it blanked out."""
    piece = list(text[start:end])
    for q_start, q_end in quotes[bisect.bisect_left(quotes, (start, start)) :]:
        if q_start >= end:
            break
        if q_end <= end and _is_title(text, (q_start, q_end)):
            for i in range(q_start, q_end):
                if piece[i - start] == '"':
                    piece[i - start] = " "
    return "".join(piece)


def _quote_at(quotes: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The quotation holding character ``offset``, if any."""
    index = bisect.bisect_right(quotes, (offset, sys.maxsize)) - 1
    if index >= 0 and quotes[index][0] <= offset < quotes[index][1]:
        return quotes[index]
    return None


def _continued(
    attribution: RawAttribution,
    quotes: list[tuple[int, int]],
    paragraphs: list[tuple[int, int]],
    text: str,
    claimed: list[tuple[int, int]],
) -> RawAttribution:
    a = attribution
    if a.content_end > a.cue_start or not any(
        q_start <= a.content_start and a.content_end <= q_end for q_start, q_end in quotes
    ):
        return a  # not a quotation given before its cue
    right = a.cue_end
    if a.source is not None and a.source.start_char >= a.cue_end:
        right = max(right, a.source.end_char)
    paragraph_end = next((e for s, e in paragraphs if s <= a.cue_start < e), right)
    index = bisect.bisect_left(quotes, (right, right))
    while index < len(quotes) and _is_title(text, quotes[index]):
        index += 1  # on CNN's "State of the Union." "But ..."
    if index >= len(quotes):
        return a
    q_start, q_end = quotes[index]
    if q_end > paragraph_end or not _BRIDGE.fullmatch(_untitled(text, right, q_start, quotes)):
        return a
    own = (a.content_start, a.content_end)
    first = bisect.bisect_left(claimed, (q_start, q_start))
    last = bisect.bisect_left(claimed, (q_end, q_end))
    nearby = claimed[max(0, first - 8) : last]  # bounded look-back keeps this linear
    if any(s < q_end and q_start < e for s, e in nearby if (s, e) != own):
        return a
    end = _trim_punct(text, q_start, q_end)[1]
    return replace(a, content_end=end) if end > a.content_end else a


# ----------------------------------------------------------------------------- cue kinds


def _according_to(token: Token) -> RawAttribution | None:
    if token.lower_ != "according" or token.i + 1 >= len(token.doc):
        return None
    to = token.doc[token.i + 1]
    if to.lower_ != "to":
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"] or [
        t for t in to.subtree if t.i > to.i and t.pos_ in ("PROPN", "NOUN", "PRON")
    ][-1:]
    source = _mention(objects[0]) if objects else None
    excluded = {t.i for t in token.subtree} | {t.i for t in to.subtree}
    sentence = token.sent
    clause = token.head if token.head.i != token.i else sentence.root
    if clause.i == token.i:
        # "That's according to fundraising reports": the parser made "according" the verb;
        # its subject is what the source says.
        words = [t for c in token.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
    elif clause.i in excluded:
        words = [t for t in sentence if t.i not in excluded]
    else:
        words = [t for t in clause.subtree if t.i not in excluded]
    content = _span_of(words)
    if content is None:
        return None
    return RawAttribution(token.idx, to.idx + len(to), "according to", *content, source, 1.0, token)


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
    content_words, shape = _content_of_verb(token)
    content_words = _without_trailing_aside(content_words)
    content_words = _without_coordinated_report(content_words, lexicon)
    source = _source_of_verb(token)
    content = _span_of(content_words) if _has_substance(content_words) else None
    if content is None:
        # 'How many times must we see this?" Clinton said.' / 'He said: "..."': the parser
        # left the quotation outside the cue's clause; take the quotation next to it.
        content = _adjacent_quote(token, source, quotes, text)
        shape = "clause"
    if content is None:
        return None
    features = cue_features(
        token, reliability, shape, source, quoted, text[content[0] : content[1]], content[0]
    )
    if model is not None:
        # Wire-service verbs (emphasize, underscore, reiterate) are too rare in PolNeAR train
        # for the model to score them well: their prior from cues_extra.json is a floor.
        prior = lexicon.priors.get((token.lemma_.lower(), "VERB"), 0.0)
        score = max(model.probability(features), prior)
    else:
        score = _score(reliability, shape, source is not None)
    if threshold is not None and score < threshold:
        return None
    referent = None
    if source is not None and len(source) == 1 and source.root.lower_ in RELATIVE_PRONOUNS:
        head = source.root.head
        if head.dep_ == "relcl":
            referent = _mention(head.head)
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


def _without_trailing_aside(words: list[Token]) -> list[Token]:
    """Drop a comma-fenced clause that ends the content and only comments on it ("..., which
    include ...", "..., engaging in ...", "..., who has never ..."): not part of what was
    said."""
    if not words:
        return words
    kept = {t.i for t in words}
    last = max(kept)
    for t in sorted(words, key=lambda t: t.i):
        if t.dep_ not in ("relcl", "acl", "advcl") or t.left_edge.i == min(kept):
            continue
        before = t.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
        if before is None or before.text != "," or t.right_edge.i < last - 1:
            continue
        cut = before.i
        return [w for w in words if w.i < cut]
    return words


# Cue reliability from which a coordinated verb with its own subject is a new statement
# ("..., and opposition lawmakers accused ...") rather than part of the content ("prices will
# rise and wages will fall"). Chosen on PolNeAR dev (make eval).
COORDINATED_CUE_RELIABILITY = 0.3


def _without_coordinated_report(words: list[Token], lexicon: CueLexicon) -> list[Token]:
    """Cut the content before a coordinated clause that has its own subject and reporting
    verb: "Some economists believe the plans are unsustainable, and opposition lawmakers
    accused the government ..." ends at "unsustainable"."""
    if not words:
        return words
    first = min(t.i for t in words)
    for t in sorted(words, key=lambda t: t.i):
        if (
            t.dep_ == "conj"
            and t.pos_ == "VERB"
            and t.left_edge.i > first
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            and lexicon.score(t.lemma_, "VERB") >= COORDINATED_CUE_RELIABILITY
        ):
            cut = t.left_edge.i
            doc = t.doc
            while cut > first and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                cut -= 1
            return [w for w in words if w.i < cut]
    return words


def _has_substance(words: list[Token]) -> bool:
    """Whether a content says anything: a bare "what", "it" or "so" does not."""
    return (
        any(
            t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM", "AUX") and not t.is_stop
            for t in words
        )
        or len([t for t in words if not t.is_punct]) > 2
    )


def _source_kind(source: Span | None) -> str:
    if source is None:
        return "none"
    root = source.root
    lower = root.lower_
    if lower in ("i", "we", "me", "us"):
        return "pron1"
    if lower in ("he", "she", "they"):
        return "pron3"
    if lower in ("it", "this", "that"):
        return "it"
    if lower in RELATIVE_PRONOUNS:
        return "who"
    if root.ent_type_:
        return "ent_" + root.ent_type_
    return root.pos_.lower()


def cue_features(
    verb: Token,
    reliability: float,
    shape: str,
    source: Span | None,
    quoted: bool,
    content: str,
    content_start: int,
) -> tuple[str, ...]:
    """Binary features of a candidate cue verb (see :mod:`.cue_model`); ``content`` is the
    text of what it governs."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    source_kind = _source_kind(source)
    content_words = len(content.split())
    content_left = content_start < verb.idx
    length = "1" if content_words <= 1 else "2-4" if content_words <= 4 else "5+"
    return (
        f"lemma={lemma}",
        f"rel={min(int(reliability * 10), 9)}",
        f"shape={shape}",
        f"lemma|shape={lemma}|{shape}",
        f"dep={verb.dep_}",
        f"dep|shape={verb.dep_}|{shape}",
        f"tag={verb.tag_}",
        f"src={source_kind}",
        f"src|shape={source_kind}|{shape}",
        f"quoted={quoted}",
        f"quoted|src={quoted}|{source_kind}",
        f"neg={any(c.dep_ == 'neg' for c in children)}",
        f"aux={'|'.join(sorted(c.lower_ for c in children if c.dep_ == 'aux')) or '-'}",
        f"content_left={content_left}",
        f"content_len={length}",
        f"shape|len={shape}|{length}",
    )


def _quoted(at: int, quotes: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether offset ``at`` lies inside one of the sorted, disjoint ``quotes``."""
    index = bisect.bisect_right(starts, at) - 1
    return index >= 0 and at < quotes[index][1]


def _noun_cue(token: Token, lexicon: CueLexicon, threshold: float) -> RawAttribution | None:
    """Noun cues with a named source: "Trump's claim that ...", "a statement from the
    ministry on ...", "her support for the deal"."""
    if token.pos_ != "NOUN":
        return None
    reliability = lexicon.score(token.lemma_, "NOUN")
    if reliability <= 0.0:
        return None
    head = token.head
    # "... said in a statement": the verb cue already covers it.
    if head.dep_ == "prep" and head.head.pos_ == "VERB" and lexicon.score(head.head.lemma_, "VERB"):
        return None
    source: Span | None = None
    content_heads: list[Token] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                source = _mention(objects[0])
        elif child.dep_ == "poss":
            source = _mention(child)
        elif child.i > token.i and (
            child.dep_ in ("acl", "ccomp")
            or (child.dep_ == "prep" and child.lower_ in NOUN_CONTENT_PREPS)
        ):
            content_heads.append(child)
    if source is None or not content_heads:
        return None
    clause = any(c.dep_ in ("acl", "ccomp") for c in content_heads)
    score = reliability + (NOUN_CLAUSE_BONUS if clause else NOUN_PHRASE_BONUS)
    if score < threshold:
        return None
    content = _span_of([t for c in content_heads for t in c.subtree])
    if content is None:
        return None
    return RawAttribution(
        token.idx,
        token.idx + len(token),
        token.lemma_.lower(),
        *content,
        source,
        score,
        token,
    )


# ----------------------------------------------------------------------------- content


def _content_of_verb(verb: Token) -> tuple[list[Token], str]:
    """Tokens of what was said, and the syntactic shape it came from."""
    children = list(verb.children)
    clauses = [c for c in children if c.dep_ in ("ccomp", "parataxis") and c.pos_ != "PUNCT"]
    passive = any(c.dep_ == "auxpass" for c in children)
    if passive:
        # "This stance was conveyed by X": the passive subject is what was conveyed.
        clauses += [c for c in children if c.dep_ == "nsubjpass"]
    if clauses:
        words = [t for c in clauses for t in c.subtree]
        # "told reporters that ...": the object joins the content on the clause's side only
        # ('"...," Park told reporters' keeps the quote alone).
        side_right = clauses[0].i > verb.i
        words += [
            t
            for c in children
            if c.dep_ in ("dobj", "dative") and (c.i > verb.i) == side_right
            for t in c.subtree
        ]
        return words, "clause"
    complements = [c for c in children if c.dep_ in CONTENT_DEPS and c.i > verb.i]
    # "called for Obama to resign": the parser makes "for ... to" a clause of its own (advcl
    # with the mark "for"); it is what was called for.
    complements += [
        c
        for c in children
        if c.dep_ == "advcl"
        and c.i > verb.i
        and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
    ]
    if any(c.dep_ in ("dobj", "dative") for c in complements):
        # "rejected that argument in a ruling": time and place adjuncts are not what was said.
        complements = [
            c for c in complements if not (c.dep_ == "prep" and c.lower_ in ADJUNCT_PREPS)
        ]
    if complements:
        shape = "xcomp" if any(c.dep_ == "xcomp" for c in complements) else "object"
        return [t for c in complements for t in c.subtree], shape
    # '"...," he said' parsed with the quote as the root and the cue hanging off it, and
    # the parenthetical 'To prevent problems, he said, officials should be vigilant'.
    head = verb.head
    hangs_off = verb.dep_ == "parataxis" or (verb.dep_ in ("ccomp", "advcl") and head.i < verb.i)
    if hangs_off and head.i != verb.i and head.pos_ != "PUNCT":
        mine = {t.i for t in verb.subtree}
        return [t for t in head.subtree if t.i not in mine], "clause"
    return [], "none"


_BETWEEN_QUOTE_AND_CUE = re.compile(r"[\s,:;.?!\-—–―]*")


def _adjacent_quote(
    verb: Token, source: Span | None, quotes: list[tuple[int, int]], text: str
) -> tuple[int, int] | None:
    """Inside of the quotation that ends just before the source and cue, or starts just
    after the cue, with only punctuation between."""
    left = verb.idx if source is None else min(verb.idx, source.start_char)
    right = verb.idx + len(verb)
    if source is not None and source.start_char > verb.idx:
        right = max(right, source.end_char)
    index = bisect.bisect_left(quotes, (left, left))
    # Only the quotation ending last before the cue and the first one after it can be next
    # to it (quotations are sorted and disjoint).
    after = bisect.bisect_left(quotes, (right, right))
    nearby = quotes[max(0, index - 1) : index] + quotes[after : after + 1]
    for q_start, q_end in nearby:
        before = q_end <= left and "\n" not in text[q_end:left]  # not the paragraph before
        if (before and _BETWEEN_QUOTE_AND_CUE.fullmatch(text, q_end, left)) or (
            q_start >= right and _BETWEEN_QUOTE_AND_CUE.fullmatch(text, right, q_start)
        ):
            inner = _trim_punct(text, q_start, q_end)
            if inner[0] < inner[1]:
                return inner
    return None


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


# ----------------------------------------------------------------------------- source


def _source_of_verb(verb: Token) -> Span | None:
    current = verb
    for _ in range(4):
        children = list(current.children)
        agents = [c for c in children if c.dep_ == "agent"]
        passive = any(c.dep_ == "auxpass" for c in children)
        if passive and agents:
            objects = [c for c in agents[0].children if c.dep_ == "pobj"]
            if objects:
                return _mention(objects[0])
        if any(c.dep_ == "expl" for c in children):
            return None  # "it is expected that ...", "there are reports that ..."
        subjects = [c for c in children if c.dep_ in ("nsubj", "csubj")]
        # "OSLO - The fisheries ministry said": the dateline is not the subject.
        subjects = [c for c in subjects if not _is_dateline(c)] or subjects
        if not passive and subjects:
            subject = subjects[0]
            if subject.lower_ == "there":
                return None
            if _is_dateline(subject):
                # "SAO PAULO (Reuters) - Brazilian President Lula said": the parser hung the
                # real subject on the dateline as an apposition after the dash.
                named = [c for c in subject.children if c.dep_ == "appos"]
                if named and named[-1].left_edge.i > subject.i + 2:
                    return _mention(named[-1])
            return _mention(subject)
        if current.dep_ in ("relcl", "acl") and current.head.pos_ in (
            "NOUN",
            "PROPN",
            "PRON",
            "NUM",
        ):
            return _mention(current.head)
        if current.dep_ not in INHERIT_DEPS or current.head.i == current.i:
            break
        current = current.head
    return _neighbouring_subject(verb)


_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def _is_dateline(token: Token) -> bool:
    """An upper-case place opening a paragraph, followed by a dash or an agency in
    parentheses ("OSLO -", "GENEVA (Reuters) -")."""
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        token.is_upper
        and len(token) > 1
        and token.i < 4
        and following is not None
        and (following.text in _DASHES or following.text == "(")
    )


def _neighbouring_subject(verb: Token) -> Span | None:
    """'"...," Tulsa police Chief Chuck Jordan said Monday' parsed without a subject: the
    name right before the cue (or right after it: 'said Chuck Jordan'), when the content is
    elsewhere."""
    doc = verb.doc
    before = verb.i - 1
    while before >= 0 and doc[before].dep_ in ("aux", "advmod", "neg"):
        before -= 1
    for index in (before, verb.i + 1):
        if not 0 <= index < len(doc):
            continue
        token = doc[index]
        if token.pos_ not in ("PROPN", "NOUN", "PRON") or token.dep_ in ("pobj", "poss"):
            continue
        head = token
        while head.head.i != head.i and head.dep_ in ("compound", "flat", "amod"):
            head = head.head
        if head.i == verb.i or head.pos_ not in ("PROPN", "NOUN", "PRON"):
            continue
        return _mention(head)
    return None


def _mention(token: Token) -> Span:
    """The words naming the source: its entity, or its noun phrase up to the head."""
    doc = token.doc
    entity = entity_around(token)
    if entity is not None:
        return entity
    start = token.left_edge.i
    while start < token.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    # The whole noun phrase with its "of" phrases and appositives ("the President of
    # Kazakhstan, Kassym-Jomart Tokayev"), but not its clauses ("who said ...").
    end = token.right_edge.i + 1
    for child in token.children:
        if child.i > token.i and child.dep_ in ("relcl", "acl", "advcl", "ccomp", "cc", "conj"):
            end = min(end, child.left_edge.i)
    while end > token.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - start > 12:  # a runaway subtree: keep the head's own words
        end = token.i + 1
    return doc[start:end]


# ----------------------------------------------------------------------------- spans


def _span_of(words: list[Token]) -> tuple[int, int] | None:
    """Character span from the first to the last word, trimmed of punctuation and spaces."""
    kept = sorted((t for t in words if not (t.is_punct or t.is_space)), key=lambda t: t.i)
    if not kept:
        return None
    return kept[0].idx, kept[-1].idx + len(kept[-1])


def _widen_to_quotes(
    attribution: RawAttribution, quotes: list[tuple[int, int]], text: str
) -> RawAttribution:
    """Widen the content to every quotation it starts or ends inside (cue kept outside), and
    drop a scene-setting lead-in before a quotation given ahead of its cue ('With thousands of
    systems, "there is no single point of failure," he said')."""
    start, end = attribution.content_start, attribution.content_end
    overlapping = _overlapping_quotes(quotes, start, end)
    for q_start, q_end in overlapping:
        if q_start <= attribution.cue_start < q_end:
            continue
        inner_start, inner_end = q_start + 1, q_end
        if text[q_end - 1 : q_end] == '"':
            inner_end = q_end - 1
        start, end = min(start, inner_start), max(end, inner_end)
    if overlapping and end <= attribution.cue_start:
        q_start = overlapping[0][0]
        if start < q_start and re.search(r",\s*$", text[start:q_start]):
            start = q_start + 1
    before = [q for q in overlapping if q[1] <= attribution.cue_start]
    if before and before[0][0] <= start and end > attribution.cue_end:
        # '"She made it up," he said of the claim during a call': the parser hung the words
        # after the cue on the quotation's clause; what was said is the quotation (one that
        # carries on after the cue joins it in continue_quotations).
        end = before[-1][1]
    start, end = _trim_punct(text, start, end)
    if (start, end) == (attribution.content_start, attribution.content_end) or start >= end:
        return attribution
    return replace(attribution, content_start=start, content_end=end)


def _overlapping_quotes(
    quotes: list[tuple[int, int]], start: int, end: int
) -> list[tuple[int, int]]:
    """The sorted, disjoint ``quotes`` overlapping ``[start, end)`` (by bisection)."""
    index = max(0, bisect.bisect_right(quotes, (start, start)) - 1)
    found: list[tuple[int, int]] = []
    while index < len(quotes) and quotes[index][0] < end:
        if quotes[index][1] > start:
            found.append(quotes[index])
        index += 1
    return found


_TRIM = " \n\t,;:.\"'"


def _trim_punct(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end
