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
:mod:`.quotations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from stancewire.nlp.cue_model import CueModel
from stancewire.nlp.cues import (
    CueLexicon,
    load_as_cues,
    load_evidence_cues,
    load_phrase_cues,
    load_poll_frames,
)
from stancewire.nlp.datafiles import read_data
from stancewire.nlp.quotations import adjacent_quote, is_quoted, trim_punct, widen_to_quotes
from stancewire.nlp.sources import RELATIVE_PRONOUNS, mention_span, source_kind, source_of_verb

__all__ = [
    "COLON_SPEAKER",
    "DASH_SPEAKER",
    "RawAttribution",
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
# Prepositions whose phrase after a cue says where or to whom, when a quotation is next to it.
_SETTING_PREPS = ADJUNCT_PREPS | {"on", "to", "with"}
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
            attribution = (
                _according_to(token)
                or _in_poll(token)
                or _verb_cue(
                    token,
                    text,
                    quotes,
                    lexicon,
                    threshold,
                    model,
                    is_quoted(token.idx, quotes, quote_starts),
                )
            )
            if attribution is None and threshold is not None:
                attribution = _noun_cue(token, lexicon, threshold)
            if attribution is None:
                attribution = _phrase_cue(token, is_quoted(token.idx, quotes, quote_starts))
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


def _according_to(token: Token) -> RawAttribution | None:
    if token.lower_ != "according" or token.i + 1 >= len(token.doc):
        return None
    to = token.doc[token.i + 1]
    if to.lower_ != "to":
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"] or [
        t for t in to.subtree if t.i > to.i and t.pos_ in ("PROPN", "NOUN", "PRON")
    ][-1:]
    source = mention_span(objects[0]) if objects else None
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


def _in_poll(token: Token) -> RawAttribution | None:
    """'In a CBS News poll last month, Mrs. Clinton had a six-point lead': a sentence opening
    with "in" and a poll, then a comma; the poll is the source, the clause what it found
    (``data/poll_frames.json``)."""
    frames = load_poll_frames()
    if token.lower_ not in frames.prepositions or token.dep_ != "prep":
        return None
    objects = [c for c in token.children if c.dep_ == "pobj" and c.lemma_.lower() in frames.nouns]
    if not objects:
        return None
    sentence = token.sent  # costs a scan of the doc: only for "in" with a poll
    if any(not (t.is_punct or t.dep_ == "cc") for t in sentence[: token.i - sentence.start]):
        return None
    after = token.right_edge.i + 1
    if after >= sentence.end or token.doc[after].text != ",":
        return None
    clause = token.head
    if clause.i == token.i or clause.pos_ not in ("VERB", "AUX"):
        return None
    excluded = {t.i for t in token.subtree}
    content = _span_of([t for t in clause.subtree if t.i not in excluded])
    if content is None:
        return None
    return RawAttribution(
        token.idx,
        token.idx + len(token),
        token.lower_,
        *content,
        mention_span(objects[0]),
        frames.reliability,
        token,
    )


def _phrase_cue(token: Token, quoted: bool) -> RawAttribution | None:
    """'Ms. Lopez made it clear that she has concerns', 'Mr. Obama made clear over the weekend
    that ...': a verb that is a cue with the word of ``data/phrase_cues.json`` it governs;
    what was said is the clause or object after that word. Not inside a quotation."""
    phrase = load_phrase_cues().get(token.lemma_.lower())
    if phrase is None or quoted or token.tag_ not in phrase.tags:
        return None
    word = next((c for c in token.children if c.lower_ == phrase.word and c.i > token.i), None)
    if word is None:
        return None
    heads = [
        c
        for c in (*token.children, *word.children)
        if c.i > word.i and c.dep_ in ("ccomp", "advcl", "dobj", "xcomp")
    ]
    source = source_of_verb(token)
    content = _span_of([t for c in heads for t in c.subtree])
    if content is None or source is None:
        return None
    return RawAttribution(
        token.idx,
        word.idx + len(word),
        f"{token.lemma_.lower()} {phrase.word}",
        *content,
        source,
        phrase.reliability,
        token,
    )


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
    source = source_of_verb(token)
    content = _span_of(content_words) if _has_substance(content_words) else None
    if content is not None and _not_what_was_said(token, content_words):
        # '"...," Clinton told ABC News.' / '"...," he said, not finishing his joke.': the
        # hearer or the manner of speaking; what was said is the quotation next to the cue.
        content = adjacent_quote(token, source, quotes, text) or content
        shape = "clause"
    elif content is not None and _only_setting(token, content_words):
        # '"...," she said in a statement / to People / on CNN': where or to whom it was
        # said; what was said is the quotation next to the cue, when there is one.
        quote = adjacent_quote(token, source, quotes, text)
        if quote is not None:
            content, shape = quote, "clause"
    if content is not None and _is_the_source(content, source):
        # '"How big is that wall?" asked the boy': the inverted subject the parser read as
        # the object is who spoke; what was said is the quotation next to the cue.
        content = adjacent_quote(token, source, quotes, text)
    if content is not None and content[0] > token.idx:
        content = _through_colon_list(token, content, text)
    if content is None:
        # 'How many times must we see this?" Clinton said.' / 'He said: "..."': the parser
        # left the quotation outside the cue's clause; take the quotation next to it.
        content = adjacent_quote(token, source, quotes, text)
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
        # "a poll shows Clinton with a lead": show and find report a poll's or a record's say.
        subject = source.root.lemma_ if source is not None else None
        prior = max(prior, load_evidence_cues().prior(token.lemma_, subject))
        if _is_as_aside(token):
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


def _is_the_source(content: tuple[int, int], source: Span | None) -> bool:
    """Whether a content is only the source's own words."""
    return source is not None and source.start_char <= content[0] and content[1] <= source.end_char


def _through_colon_list(verb: Token, content: tuple[int, int], text: str) -> tuple[int, int]:
    """A content after its cue that stops at a colon takes the rest of the sentence: "failed
    to mention the attack that killed four Americans: U.S. Ambassador Chris Stevens, ..." (the
    parser hangs the list elsewhere)."""
    sentence_end = verb.sent.end_char
    rest = text[content[1] : sentence_end]
    if not rest.lstrip().startswith(":") or "\n" in rest or '"' in rest:
        return content
    end = trim_punct(text, content[1], sentence_end)[1]
    return (content[0], end) if end > content[1] else content


def _only_setting(verb: Token, words: list[Token]) -> bool:
    """Whether a content is only prepositional phrases of place, time or hearer."""
    inside = {t.i for t in words}
    heads = [t for t in words if not t.is_punct and (t.head.i not in inside or t.head.i == t.i)]
    return bool(heads) and all(
        h.head.i == verb.i and h.dep_ == "prep" and h.lower_ in _SETTING_PREPS for h in heads
    )


def _not_what_was_said(verb: Token, words: list[Token]) -> bool:
    """Whether a content is only the hearer of "told" ("told ABC News") or a participle
    clause after a comma ("said, not finishing his joke"), not what was said."""
    inside = {t.i for t in words}
    heads = [t for t in words if not t.is_punct and (t.head.i not in inside or t.head.i == t.i)]
    if not heads:
        return False
    if verb.lemma_ == "tell" and all(
        h.head.i == verb.i and h.dep_ in ("dobj", "dative") for h in heads
    ):
        return True
    return (
        len(heads) == 1
        and min(inside) > verb.i
        and heads[0].dep_ in ("advcl", "xcomp")
        and heads[0].tag_ == "VBG"
        and verb.doc[min(inside) - 1].text == ","
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
        if any(w.is_quote for w in t.subtree):
            # '..., which "will help elect JoAnne Kloppenburg"': quoted words were said
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
    kind = source_kind(source)
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
        f"src={kind}",
        f"src|shape={kind}|{shape}",
        f"quoted={quoted}",
        f"quoted|src={quoted}|{kind}",
        f"neg={any(c.dep_ == 'neg' for c in children)}",
        f"aux={'|'.join(sorted(c.lower_ for c in children if c.dep_ == 'aux')) or '-'}",
        f"content_left={content_left}",
        f"content_len={length}",
        f"shape|len={shape}|{length}",
    )


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
                source = mention_span(objects[0])
        elif child.dep_ == "poss":
            source = mention_span(child)
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
    if _is_as_aside(verb):
        # "As the paper noted, it is surprising ...": the clause the aside comments on.
        return [t for t in verb.head.subtree if t.i > verb.right_edge.i], "clause"
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


def _is_as_aside(verb: Token) -> bool:
    """'As the paper noted, ...', 'As reported by the Tribune, ...', 'as one aide put it, ...':
    a reporting verb of ``data/as_cues.json`` in an "as" clause before the main verb."""
    return (
        verb.dep_ == "advcl"
        and verb.head.i > verb.i
        and verb.lemma_.lower() in load_as_cues().lemmas
        and any(c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i for c in verb.children)
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


# ----------------------------------------------------------------------------- source


# ----------------------------------------------------------------------------- spans


def _span_of(words: list[Token]) -> tuple[int, int] | None:
    """Character span from the first to the last word, trimmed of punctuation and spaces."""
    kept = sorted((t for t in words if not (t.is_punct or t.is_space)), key=lambda t: t.i)
    if not kept:
        return None
    return kept[0].idx, kept[-1].idx + len(kept[-1])
