"""What a reporting verb says: the clause or complements it governs, and the corrections to
the parse's reading of it (an aside that only comments, a coordinated clause with its own
speaker, a content that is only the hearer, the setting or the source).

Split from :mod:`.attribution`, which finds the cues and scores them.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from stancewire.nlp.cues import CueLexicon, load_as_cues
from stancewire.nlp.quotations import trim_punct
from stancewire.nlp.raw_attribution import span_of

__all__ = [
    "clause_before_cue",
    "content_of_verb",
    "has_substance",
    "is_as_aside",
    "is_the_source",
    "not_what_was_said",
    "only_setting",
    "through_colon_list",
    "without_coordinated_report",
    "without_trailing_aside",
]

# Children of a cue verb that belong to what was said.
CONTENT_DEPS = frozenset(
    {"ccomp", "xcomp", "dobj", "dative", "prep", "attr", "oprd", "acomp", "pcomp", "obj"}
)


# Prepositions that open a time or place adjunct rather than part of what was said.
ADJUNCT_PREPS = frozenset(
    {"in", "at", "during", "since", "after", "before", "until", "amid", "throughout", "while"}
)


# Prepositions whose phrase after a cue says where or to whom, when a quotation is next to it.
SETTING_PREPS = ADJUNCT_PREPS | {"on", "to", "with"}


def is_the_source(content: tuple[int, int], source: Span | None) -> bool:
    """Whether a content is only the source's own words."""
    return source is not None and source.start_char <= content[0] and content[1] <= source.end_char


def through_colon_list(verb: Token, content: tuple[int, int], text: str) -> tuple[int, int]:
    """A content after its cue that stops at a colon takes the rest of the sentence: "failed
    to mention the attack that killed four Americans: U.S. Ambassador Chris Stevens, ..." (the
    parser hangs the list elsewhere)."""
    sentence_end = verb.sent.end_char
    rest = text[content[1] : sentence_end]
    if not rest.lstrip().startswith(":") or "\n" in rest or '"' in rest:
        return content
    end = trim_punct(text, content[1], sentence_end)[1]
    return (content[0], end) if end > content[1] else content


def only_setting(verb: Token, words: list[Token]) -> bool:
    """Whether a content is only prepositional phrases of place, time or hearer."""
    inside = {t.i for t in words}
    heads = [t for t in words if not t.is_punct and (t.head.i not in inside or t.head.i == t.i)]
    return bool(heads) and all(
        h.head.i == verb.i and h.dep_ == "prep" and h.lower_ in SETTING_PREPS for h in heads
    )


def clause_before_cue(verb: Token, source: Span | None) -> tuple[int, int] | None:
    """The clause before ", SOURCE said" when the parser hung the cue on it ("Hillary Clinton
    thinks the government requires too many tests, former President Bill Clinton [said] this
    week": ``said`` a ccomp of ``thinks``): that clause, from the sentence's start to the
    comma before the source, is what was said. None when the cue does not hang so."""
    if source is None or verb.dep_ not in ("ccomp", "parataxis"):
        return None
    head, sentence = verb.head, verb.sent
    comma = source.start - 1
    if not (sentence.start <= head.i < comma < source.start <= verb.i):
        return None
    if verb.doc[comma].text != "," or source.end != verb.i:
        return None
    return span_of(list(verb.doc[sentence.start : comma]))


def not_what_was_said(verb: Token, words: list[Token]) -> bool:
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


def without_trailing_aside(words: list[Token]) -> list[Token]:
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


def without_coordinated_report(words: list[Token], lexicon: CueLexicon) -> list[Token]:
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


def has_substance(words: list[Token]) -> bool:
    """Whether a content says anything: a bare "what", "it" or "so" does not."""
    return (
        any(
            t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM", "AUX") and not t.is_stop
            for t in words
        )
        or len([t for t in words if not t.is_punct]) > 2
    )


def content_of_verb(verb: Token) -> tuple[list[Token], str]:
    """Tokens of what was said, and the syntactic shape it came from."""
    if is_as_aside(verb):
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


def is_as_aside(verb: Token) -> bool:
    """'As the paper noted, ...', 'As reported by the Tribune, ...', 'as one aide put it, ...':
    a reporting verb of ``data/as_cues.json`` in an "as" clause before the main verb."""
    return (
        verb.dep_ == "advcl"
        and verb.head.i > verb.i
        and verb.lemma_.lower() in load_as_cues().lemmas
        and any(c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i for c in verb.children)
    )
