"""Polar words of a statement's content and the sign their context gives them.

A polar word is a stance-lexicon term (or, failing that, a general-sentiment word) in the
content. Its polarity is the lexicon score times:

* the sign of the negations and valence shifters above it in the dependency parse ("not
  hostile", "the absence of disputes", "lift sanctions"), within its own clause; a call to stop
  violence does not invert it, nor does a demand ("should stop smearing China");
* -1 when a contrast rejects it ("cooperation rather than [confrontation]");
* -1 when something bad is backed ("supporting [terrorists]": the backing is bad);
* a hedge factor ("might", "could") and a concession factor (before a clause-joining "but").

Which target a polar word is about, and how much, is :mod:`.roles`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from stancewire.nlp.docindex import TARGET_LABELS
from stancewire.nlp.polar_lexicon import StanceLexicon, general_valence, is_thing_sense

HEDGE_FACTOR = 0.6  # "might", "could": a hedged word counts less
CONCESSION_FACTOR = 0.5  # words before a clause-joining "but" count half

# Climbing out of these clauses, the negation of the clause above no longer applies
# ("does not supply X, [while maintaining engagement]"). A ccomp stays in scope: "did not
# consider [Russia a threat]", "does not believe [that ...]".
_CLAUSE_DEPS = frozenset({"advcl", "relcl", "parataxis", "csubj"})
# A subject is not in the scope of its verb's negation: in "[the ties] did not come at the
# expense of ...", the ties are not denied.
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_GOVERNED_DEPS = frozenset(
    {"dobj", "obj", "xcomp", "prep", "pobj", "pcomp", "acomp", "attr", "amod", "compound", "nmod"}
)


@dataclass(slots=True)
class PolarTerm:
    """One polar word or phrase of the content."""

    head: Token
    tokens: range  # token indices of the term (phrases span several)
    base: float
    violence: bool
    general: bool = False  # from the general sentiment lexicon, not the stance lexicon
    backed_bad: frozenset[int] = frozenset()  # "supporting [terrorists]": the bad object
    opposed: bool = False  # violence that a verb above stands against ("deter provocations")
    label_polarity: float = 0.0  # as a label of what it names ("its Russian [friends]")
    polarity: float = 0.0
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    """Where polar words are read: the tokens of ``span`` except ``skip`` (the reporting verb,
    which carries stance of its own)."""

    span: Span
    lex: StanceLexicon
    skip: frozenset[int] = frozenset()

    def holds(self, i: int) -> bool:
        return self.span.start <= i < self.span.end and i not in self.skip


def polar_terms(context: Context) -> list[PolarTerm]:
    """The polar terms of the context with their signed polarity, in text order."""
    terms = _match_terms(context)
    # what a shifter acts on: a word of the stance lexicon, not a general-sentiment word
    term_tokens = {i for term in terms if not term.general for i in term.tokens}
    backing = _Backing.of(terms)
    rejected = _rejected_tokens(context)
    kept: list[PolarTerm] = []
    signs: dict[int, tuple[float, str]] = {}  # head token -> sign and prefix of its term
    # nouns before the adjectives that describe them: "constructive [dialogue]"
    for term in sorted(terms, key=lambda t: _is_descriptor(t.head)):
        head = term.head
        if _is_shifter(head, context.lex) and _governs_polar(head, term, term_tokens, context):
            continue  # "lift sanctions": the shifter acts on "sanctions", not on its own
        _sign(term, context, signs, rejected, backing)
        kept.append(term)
    for term in kept:
        if term.violence:
            term.opposed = _is_opposed(term.head, context.lex)
    kept.sort(key=lambda t: t.tokens.start)
    _concede(kept, context.span)
    return kept


def is_negated(token: Token, lex: StanceLexicon) -> bool:
    """Whether ``token`` has a negation of its own ("not", "never", "no")."""
    for child in token.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in ("det", "advmod", "preconj") and child.lower_ in lex.negators:
            nxt = child.nbor(1) if child.i + 1 < len(child.doc) else None
            if nxt is not None and nxt.lower_ in ("only", "just"):
                continue  # "not only ... but also"
            return True
    return False


# ----------------------------------------------------------------------------- matching


def _match_terms(context: Context) -> list[PolarTerm]:
    """Longest lexicon matches over the context's lemmas, left to right."""
    start = context.span.start
    lemmas = [t.lemma_.lower() for t in context.span]
    terms: list[PolarTerm] = []
    i = 0
    while i < len(lemmas):
        if start + i in context.skip:
            i += 1
            continue
        size, term = _match_at(context, lemmas, i)
        if term is not None:
            terms.append(term)
        i += size or 1
    return terms


def _match_at(context: Context, lemmas: list[str], i: int) -> tuple[int, PolarTerm | None]:
    """The longest term starting at position ``i`` of the context: how many tokens it covers
    (0: none) and the term (None also for a set phrase that only hides its words)."""
    doc, lex, start = context.span.doc, context.lex, context.span.start
    token = doc[start + i]
    for size in range(min(lex.max_words, len(lemmas) - i), 0, -1):
        if any(start + j in context.skip for j in range(i, i + size)):
            continue
        key = tuple(lemmas[i : i + size])
        score = lex.terms.get(key)
        general = False
        if size == 1:
            if token.lower_ in lex.not_terms or is_thing_sense(token, lex):
                return 0, None
            if score is None and (token.lower_,) in lex.terms:
                key = (token.lower_,)
                score = lex.terms[key]
            if score is None:
                score = general_valence(token)
                general = score is not None
        if score is None:
            continue
        tokens = range(start + i, start + i + size)
        head = doc[tokens.start : tokens.stop].root
        if size == 1 and score < 0 and _is_attributive_participle(head):
            return 0, None  # "sanctioned goods", "disputed islands": a description, not a stance
        if head.ent_type_ and head.ent_type_ in TARGET_LABELS and head.text[:1].isupper():
            return 0, None  # part of a name ("Peace Corps", "Friends of Syria")
        if score == 0.0:  # a set phrase ("a great many") only hides its words
            return size, None
        return size, PolarTerm(head, tokens, score, key in lex.violence, general)
    return 0, None


def _is_attributive_participle(token: Token) -> bool:
    return token.dep_ == "amod" and token.tag_ in ("VBN", "VBG")


# ----------------------------------------------------------------------------- sign


@dataclass(frozen=True, slots=True)
class _Backing:
    """Backing something bad is bad: "supporting [terrorists]", "rewarded terrorism", and so
    is helping someone do something bad: "helping Russia [evade] controls"."""

    bad_nouns: frozenset[int]
    bad_acts: frozenset[int]
    backers: frozenset[int]  # head tokens of positive terms that back something bad

    @classmethod
    def of(cls, terms: list[PolarTerm]) -> _Backing:
        bad_nouns = frozenset(
            t.head.i for t in terms if t.base < 0 and t.head.pos_ in ("NOUN", "PROPN")
        )
        bad_acts = frozenset(t.head.i for t in terms if t.base < 0 and t.head.pos_ == "VERB")
        backing = cls(bad_nouns, bad_acts, frozenset())
        backers = {t.head.i for t in terms if t.base > 0 and backing.backed(t.head)}
        # "had stolen the region [with the help] of ExxonMobil": help given to a bad act
        backers |= {
            t.head.i
            for t in terms
            if t.base > 0
            and t.head.dep_ == "pobj"
            and t.head.head.lower_ == "with"
            and t.head.head.head.i in bad_acts
        }
        return cls(bad_nouns, bad_acts, frozenset(backers))

    def backed(self, head: Token) -> list[Token]:
        """The bad things ``head`` governs directly."""
        return [
            c
            for c in head.children
            if (c.dep_ in ("dobj", "obj") and c.i in self.bad_nouns)
            or (c.dep_ in ("xcomp", "ccomp") and c.i in self.bad_acts)
        ]


def _sign(
    term: PolarTerm,
    context: Context,
    signs: dict[int, tuple[float, str]],
    rejected: set[int],
    backing: _Backing,
) -> None:
    """Set the term's polarity, label polarity and evidence from what governs it."""
    head, lex = term.head, context.lex
    sign, hedge, prefix = _scope(term, context)
    if _is_descriptor(head):
        if head.head.i in signs:
            # an adjective shares the fate of the polar noun it describes: "no alternative to
            # constructive dialogue" is positive twice
            sign, prefix = signs[head.head.i]
        else:
            # a plain description is not undone by acting on what it describes: "stop illegal
            # crossings" does not make them legal
            sign, hedge, prefix = _scope(term, context, action_shifters=False)
    if head.i in rejected:
        sign = -sign
        prefix = prefix or "rather than "
    signs[head.i] = (sign, prefix)
    term.label_polarity = term.base * hedge * (-1.0 if is_negated(head, lex) else 1.0)
    if head.i in backing.backers:
        sign = -sign
        term.backed_bad = frozenset(t.i for c in backing.backed(head) for t in c.subtree)
    term.polarity = term.base * sign * hedge
    words = " ".join(head.doc[i].text for i in term.tokens)
    term.evidence = f"{prefix}{words}".strip()


def _concede(terms: list[PolarTerm], span: Span) -> None:
    """ "no problem with Iran's people, but could not accept Tehran's interference": what comes
    before a clause-joining "but" is conceded, what follows is the point."""
    buts = [
        t.i
        for t in span
        if t.lower_ in ("but", "yet") and t.dep_ == "cc" and t.head.pos_ in ("VERB", "AUX")
    ]
    if buts:
        for term in terms:
            if term.tokens.start < buts[-1]:
                term.polarity *= CONCESSION_FACTOR


def _is_opposed(token: Token, lex: StanceLexicon) -> bool:
    """Whether an act is the object of a verb that stands against it: "deter [provocations]",
    "condemned the [invasion]", "to counter Russian [aggression]"."""
    node = token.head if token.dep_ == "amod" else token
    while node.dep_ in ("pobj", "prep") and node.head.i != node.i:
        node = node.head
    if node.dep_ not in ("dobj", "obj", "pobj") or node.head.i == node.i:
        return False
    verb = node.head if node.dep_ != "pobj" else node.head.head
    lemma = verb.lemma_.lower()
    return lemma in lex.shifters or lemma in lex.attitude or lemma in lex.measures


def _is_descriptor(token: Token) -> bool:
    """An adjective modifying a noun ("illegal crossings", "constructive dialogue")."""
    return token.dep_ == "amod" and token.pos_ == "ADJ"


def _is_shifter(token: Token, lex: StanceLexicon) -> bool:
    lemma = token.lemma_.lower()
    return lemma in lex.shifters or lemma in lex.absence


def _governs_polar(head: Token, term: PolarTerm, term_tokens: set[int], context: Context) -> bool:
    """Whether a shifter has a polar word among its complements ("lift [sanctions]"), not
    merely somewhere below it ("failed the country and should [resign]")."""
    stack = [c for c in head.children if c.dep_ in _GOVERNED_DEPS]
    while stack:
        token = stack.pop()
        polar = token.i in term_tokens and token.i not in term.tokens
        if polar and context.holds(token.i):
            return True
        stack.extend(c for c in token.children if c.dep_ in _GOVERNED_DEPS)
    return False


# ----------------------------------------------------------------------------- scope


def _scope(
    term: PolarTerm, context: Context, *, action_shifters: bool = True
) -> tuple[float, float, str]:
    """Sign (negations and shifters above the term), hedge factor and an evidence prefix."""
    lex = context.lex
    sign = 1.0
    hedge = 1.0
    prefix: list[str] = []
    chain = _chain(term.head, context)
    crossed_clause = False
    for position, token in enumerate(chain):
        below = chain[position - 1] if position > 0 else None
        if below is not None and (
            below.dep_ in _CLAUSE_DEPS or (below.dep_ == "conj" and below.pos_ in ("VERB", "AUX"))
        ):
            crossed_clause = True
        if crossed_clause and position > 0:
            break  # negation and shifters do not reach into another clause
        if position > 0 and below is not None and below.lemma_.lower() in lex.negation_barriers:
            break  # "not deliver missiles for [fear] of escalation"
        if _negates(token, below, term, position, lex):
            sign = -sign
            prefix.append("not")
        if position > 0 and _shifts(token, chain, term, position, lex, action_shifters):
            sign = -sign
            prefix.append(token.text.lower())
        if any(
            c.dep_ in ("aux", "advmod") and c.lemma_.lower() in lex.hedges for c in token.children
        ):
            hedge = HEDGE_FACTOR
    evidence = " ".join(reversed(prefix))
    return sign, hedge, (evidence + " ") if evidence else ""


def _chain(head: Token, context: Context) -> list[Token]:
    """The term's head and its ancestors inside the context."""
    chain = [head]
    node = head
    while node.head.i != node.i and context.holds(node.head.i):
        chain.append(node.head)
        node = node.head
    return chain


def _negates(
    token: Token, below: Token | None, term: PolarTerm, position: int, lex: StanceLexicon
) -> bool:
    """Whether a negation on ``token`` (the term's head or an ancestor) inverts the term."""
    from_subject = below is not None and below.dep_ in _SUBJECT_DEPS
    # Violence is denied only where it is named ("did not attack", "no invasion"); a verb above
    # it takes an attitude to it ("could not accept Tehran's interference").
    local = position == 0 or not term.violence
    # "would not allow any threat": refusing to permit opposes, it does not deny
    permission = position > 0 and token.lemma_.lower() in lex.permission_verbs
    return is_negated(token, lex) and not from_subject and local and not permission


def _shifts(
    token: Token,
    chain: list[Token],
    term: PolarTerm,
    position: int,
    lex: StanceLexicon,
    action_shifters: bool,
) -> bool:
    """Whether ``token``, an ancestor of the term, is a valence shifter acting on it."""
    lemma = token.lemma_.lower()
    shifts = lemma in lex.absence or (
        lemma in lex.shifters and action_shifters and not term.violence
    )
    # only what the shifter itself governs: "lift [sanctions]", "absence of [disputes]",
    # "refused to [condemn]"; not "stop supporting [terrorists]"
    direct = all(_transparent(chain, k) for k in range(1, position))
    demanded = lemma in lex.shifters and any(
        c.dep_ in ("aux", "auxpass") and c.lemma_.lower() in lex.deontic_modals
        for c in token.children
    )
    return shifts and direct and not demanded and token.i not in term.tokens


def _transparent(chain: list[Token], k: int) -> bool:
    """Whether ``chain[k]``, between a term and a shifter above it, lets the shifter through:
    a preposition ("absence [of] disputes"), the noun the term modifies ("no alternative to
    constructive [dialogue]") or a measure noun ("ending [decades] of disputes"); not a verb
    with the term as its own argument ("stop [supporting] terrorists")."""
    token, below = chain[k], chain[k - 1]
    if token.dep_ in ("prep", "agent", "aux"):
        # not "condemned the strike [as] a violation": that is what it is called
        return token.lower_ != "as"
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    return below.dep_ in ("amod", "compound", "nmod") or (
        below.dep_ == "prep" and below.lower_ == "of"
    )


def _rejected_tokens(context: Context) -> set[int]:
    """Tokens of the alternative a contrast rejects: "rather than [confrontation]"."""
    span = context.span
    doc = span.doc
    lowers = [t.lower_ for t in span]
    rejected: set[int] = set()
    for marker in context.lex.contrast_markers:
        size = len(marker)
        for i in range(len(lowers) - size + 1):
            if tuple(lowers[i : i + size]) != marker:
                continue
            last = doc[span.start + i + size - 1]
            after = last.i + 1
            if after >= span.end:
                continue
            subtree_end = last.right_edge.i + 1 if last.right_edge.i >= after else after
            end = max(subtree_end, doc[after].right_edge.i + 1)
            for j in range(after, min(end, span.end)):
                if doc[j].is_punct and doc[j].text in ",;:":
                    break
                rejected.add(j)
    return rejected


__all__ = ["Context", "PolarTerm", "is_negated", "polar_terms"]
