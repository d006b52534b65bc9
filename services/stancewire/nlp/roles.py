"""Whom a polar word of the content is about, and how much it bears on a target mention.

* violence is negative toward its agent but not toward its victim ("the invasion of Ukraine");
  a coercive measure toward its target but not its author ("the EU imposed sanctions on
  Iran"); an attitude toward its object but not its holder ("the US condemns China's ...");
* a word said of one target ("[China's] aggressive behaviour") is owned by it;
* otherwise the weight falls with the length of the dependency path between the word and the
  mention, so "cooperation with Russia" bears on Russia more than a word in another clause.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from stancewire.nlp.docindex import TARGET_LABELS, sentence_bounds
from stancewire.nlp.polar_lexicon import StanceLexicon, lexicon
from stancewire.nlp.polarity import PolarTerm

CROSS_SENTENCE_WEIGHT = 0.3  # a polar word in another sentence of a multi-sentence content
MIN_WEIGHT = 0.25
BYSTANDER_FACTOR = 0.3  # violence near a mention that neither does nor suffers it

_VICTIM_PREPOSITIONS = frozenset(
    {"against", "on", "into", "of", "toward", "towards", "at", "upon", "in"}
)
_BENEFICIARY_PREPOSITIONS = frozenset({"to", "for"})
# Dependencies inside a noun phrase: climbing them stays within the phrase.
PHRASE_DEPS = frozenset(
    {"amod", "compound", "poss", "conj", "appos", "nmod", "case", "det", "npadvmod"}
)


def term_weight(term: PolarTerm, mention: Span) -> float:
    """How much ``term`` bears on the target named by ``mention`` (0: not at all)."""
    root = mention.root
    if root.i in term.tokens or term.head.i in range(mention.start, mention.end):
        return 0.0
    if is_victim(root, term, lexicon()):
        return 0.0
    distance = path_length(root, term.head)
    weight = (
        CROSS_SENTENCE_WEIGHT
        if distance is None
        else max(MIN_WEIGHT, 1.0 / (1.0 + 0.35 * (max(distance, 1) - 1)))
    )
    if term.violence and not is_agent(root, term):
        if term.opposed:
            return 0.0  # "work with Seoul to deter provocations": Seoul stands against them
        weight *= BYSTANDER_FACTOR  # "respond to any aggression": not the aggressor
    return weight


def labels(term: PolarTerm, mention: Span) -> bool:
    """Whether a polar noun names the mention itself: "Russian [friends]", "American
    [partners]", "the [enemies] of Iran" (not "Russia's [invasion]", an act)."""
    head = term.head
    if head.lemma_.lower() not in lexicon().label_nouns or len(term.tokens) > 1:
        return False
    root = mention.root
    if root.head.i == head.i and root.dep_ in ("amod", "compound", "nmod"):
        return True
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.i == head.i


def path_length(a: Token, b: Token) -> int | None:
    """Edges between two tokens in the dependency tree (None: different sentences)."""
    if sentence_bounds(a)[0] != sentence_bounds(b)[0]:
        return None
    depth = {a.i: 0}
    for k, token in enumerate(a.ancestors, start=1):
        depth[token.i] = k
    if b.i in depth:
        return depth[b.i]
    for k, token in enumerate(b.ancestors, start=1):
        if token.i in depth:
            return depth[token.i] + k
    return None


def is_victim(mention: Token, term: PolarTerm, lex: StanceLexicon) -> bool:
    """The term is not about the mention: it undergoes the act ("the invasion of [Ukraine]",
    "attacks on [Ukraine]", "a threat to [Russia]") or holds the attitude ("[the US] condemns")."""
    head = term.head
    if head.dep_ == "amod" and term.violence:
        head = head.head  # "coercive [actions] against Taiwan": the act is the noun
    node = mention
    while node.dep_ in PHRASE_DEPS and node.head.i != node.i and node.head.i != head.i:
        node = node.head
    lemma = term.head.lemma_.lower()
    if node.head.i == head.i and node.dep_ in ("nsubj", "csubj"):
        # the attitude's holder or the measure's author, not its target
        return lemma in lex.attitude or lemma in lex.measures
    if (
        lemma in lex.measures
        and node.dep_ == "nsubj"
        and head.dep_ in ("dobj", "obj")
        and node.head.i == head.head.i
    ):
        return True  # "[the EU] imposed sanctions": the author of the measure
    if (
        node.head.i == head.i
        and lemma in lex.measures
        and node.dep_ in ("poss", "amod", "compound")
    ):
        # "[the EU's] sanctions", "[American] tariffs": the author of the measure; a bare
        # compound is the author only when the measure names its aim ("[US] sanctions on Iran")
        return node.dep_ != "compound" or any(
            c.dep_ == "prep" and c.lower_ in ("on", "against") for c in head.children
        )
    # a negative word known only to the general lexicon ("shooting", "dumping") is, like
    # violence, not held against whom it befalls
    done_to = term.violence or (term.general and term.base < 0)
    if node.head.i == head.i and node.dep_ in ("dobj", "nsubjpass", "obj"):
        return done_to
    if node.head.i == head.i and node.dep_ == "poss" and term.general and term.base < 0:
        return True  # "[Crutcher's] death", "[Ukraine's] losses": what befell them
    if node.dep_ == "pobj" and node.head.head.i == head.i:
        preposition = node.head.lower_
        if preposition in _BENEFICIARY_PREPOSITIONS:
            return done_to or head.lemma_.lower() in lex.harm
        if preposition in _VICTIM_PREPOSITIONS:
            return done_to
    return False


def owner_tokens(term: PolarTerm) -> set[int]:
    """Tokens of the possessor of the noun phrase a term describes ("[China's] aggressive
    behaviour", "[Russia's] invasion")."""
    head = term.head
    subject = _evaluated_subject(head)
    if subject is not None:
        # "[Beijing's behaviour] was awful": a predicate adjective judges its subject
        return {t.i for t in subject.subtree}
    noun = head if head.pos_ in ("NOUN", "PROPN") else None
    if noun is None and head.dep_ == "amod":
        noun = head.head
    if noun is None and head.pos_ == "VERB":
        # "opposes [China's] coercive actions": the verb is aimed at what its object owns;
        # "[Germany's] deliveries ... crossed a red line": or at what its subject owns
        # (not for violence: what an attack is aimed at is its victim, not its target)
        objects = [c for c in head.children if c.dep_ in ("dobj", "obj")]
        noun = None if term.violence else next(iter(objects), None)
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        subject_owned = subject is not None and any(c.dep_ == "poss" for c in subject.children)
        if subject_owned and (noun is None or not any(c.dep_ == "poss" for c in noun.children)):
            noun = subject
    if noun is None:
        return set()
    owned: set[int] = set()
    for child in noun.children:
        named = child.dep_ in ("amod", "compound") and child.ent_type_ in TARGET_LABELS
        if child.dep_ == "poss" or named:  # "[Russia's] invasion", "the [Israeli] strike"
            owned.update(t.i for t in child.subtree)
    return owned


def _evaluated_subject(adjective: Token) -> Token | None:
    """The subject a predicate adjective is said of, unless the adjective relates it to
    something else ("hostile [toward Russia]" is about both sides)."""
    if adjective.pos_ not in ("ADJ", "VERB") or adjective.dep_ == "amod":
        return None
    # relational: "hostile [toward Russia]", "supports [Pakistan]" are about both sides (an
    # adjective the parser took for a verb, "response [was] splendid", has no object)
    relational = ("prep", "dobj", "obj", "dative", "xcomp", "ccomp", "attr", "acomp")
    if any(c.dep_ in relational for c in adjective.children):
        return None
    subjects = [c for c in adjective.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and adjective.dep_ == "acomp":
        subjects = [c for c in adjective.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return subjects[0] if subjects else None


def is_agent(mention: Token, term: PolarTerm) -> bool:
    """The mention does the act: "[Russia's] invasion", "[Russian] forces attacked",
    "[Moscow] is waging a war", "attacks by [Russia]"."""
    head = term.head
    if head.dep_ == "amod":
        head = head.head  # "[China's] coercive actions": the actor owns the act
    node = mention
    while node.dep_ in PHRASE_DEPS and node.head.i != node.i and node.head.i != head.i:
        node = node.head
    if node.head.i == head.i and node.dep_ in ("nsubj", "poss", "amod", "compound", "nmod"):
        return True
    if node.dep_ == "pobj" and node.head.lower_ == "by" and node.head.head.i == head.i:
        return True
    if node.dep_ != "nsubj":
        return False
    if (
        head.dep_ == "pobj"
        and head.head.lower_ in ("behind", "in", "through", "by", "via")
        and head.head.head.i == node.head.i
    ):
        return True  # "[Iran] was behind the attacks", "[Pyongyang] blew up roads in a
        # provocative act": the subject does the act its own verb's adjunct names
    # "[Moscow] is waging a war", "[Beijing] tried to interfere"; not "[Seoul] deters
    # provocations", whose verb stands against the act
    if term.opposed:
        return False
    return head.dep_ in ("dobj", "obj", "xcomp") and node.head.i == head.head.i


# ----------------------------------------------------------------------------- the cue


def find_cue(doc: Doc, context: Span, cue_lemma: str | None) -> Token | None:
    """The reporting verb next to the context: by lemma when given (the nearest such word of
    the context's sentences, outside the context if there is one), else the context's head."""
    sentence_start, _ = sentence_bounds(context[0])
    sentence_end = sentence_bounds(context[-1])[1]
    if cue_lemma:
        first = cue_lemma.lower().split()[0] if cue_lemma.split() else ""
        candidates = [t for t in doc[sentence_start:sentence_end] if t.lemma_.lower() == first]
        outside = [t for t in candidates if t.i < context.start or t.i >= context.end]
        if outside or candidates:
            return min(
                outside or candidates,
                key=lambda t: min(abs(t.i - context.start), abs(t.i - context.end)),
            )
        return None
    head = context.root.head
    if (
        head.i != context.root.i
        and not (context.start <= head.i < context.end)
        and head.pos_ == "VERB"
    ):
        return head
    return None


def cue_objects(cue: Token) -> list[Token]:
    """Heads of what the cue is aimed at: "praised [Poland]", "accused [Washington] of"."""
    objects: list[Token] = []
    for child in cue.children:
        if child.dep_ in ("dobj", "dative", "iobj", "obj"):
            objects.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("at", "against", "on", "toward", "towards"):
            objects.extend(c for c in child.children if c.dep_ == "pobj")
    return objects


def is_cue_object(mention: Span, objects: frozenset[int]) -> bool:
    """Whether the mention is (in the phrase of) one of the cue's ``objects``: "criticized
    [officer Shelby] for killing Crutcher" is aimed at Shelby, not at Crutcher."""
    node = mention.root
    while node.i not in objects and node.dep_ in PHRASE_DEPS and node.head.i != node.i:
        node = node.head
    return node.i in objects


_NAMING_DEPS = frozenset({"compound", "flat", "poss", "amod", "nmod", "appos", "det", "case"})


def other_phrases(doc: Doc, own: set[int], others: frozenset[int]) -> set[int]:
    """Tokens of the noun phrases that name another entity and not the target: "[China's
    aggressive behaviour]" is said of China, so it is no word about the United States in
    "the United States condemns China's aggressive behaviour"."""
    out: set[int] = set()
    for i in others:
        token = doc[i]
        if token.head.i in others and token.head.i != i:
            continue  # not the mention's own root
        while token.dep_ in _NAMING_DEPS and token.head.i != token.i and token.head.i not in own:
            token = token.head
        phrase = range(token.left_edge.i, token.right_edge.i + 1)
        if not any(j in own for j in phrase):
            out.update(phrase)
    return out


__all__ = [
    "PHRASE_DEPS",
    "cue_objects",
    "find_cue",
    "is_agent",
    "is_cue_object",
    "is_victim",
    "labels",
    "other_phrases",
    "owner_tokens",
    "path_length",
    "term_weight",
]
