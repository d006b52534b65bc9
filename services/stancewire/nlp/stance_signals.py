"""Stance signals of a target that the word windows do not see, as indicator features of the
learned stance model (:mod:`.stance_features` turns each into a feature):

* its role toward the evaluative words above it in the parse ("ev:"): the direct argument of a
  polar word or of a reporting verb with a stance ("criticized [Shelby]": "ev:obj:-"), or the
  agent or the patient of a subordinate act such a word judges ("criticized Shelby for shooting
  [Crutcher]": "ev:inpatient:-"; "denounced the way [Obama] treated Netanyahu": "ev:inagent:-");
* its place toward a verb of a contender's fortune ("[Clinton] leads", "[Donald] can't win",
  "[Clinton's] support has risen", "leads [Trump]": "fortune:");
* irony near it: a marker such as "so-called" ("irony") or a short fragment in quotation marks
  ("scare_quote");
* whether it is the doer or holder of an act of support or praise ("[Ted] is a supporter of",
  "[Obama's] endorsement", "[Clinton] has support from 52 percent"): :func:`is_doer`, which
  :mod:`.stance_features` uses to keep that word out of the lexicon's verdict ("doer+").

The word lists are in ``data/stance_signals.yaml`` (with the training counts that back them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from stancewire.nlp.datafiles import data_yaml
from stancewire.nlp.polar_lexicon import lexicon
from stancewire.nlp.polarity import is_negated
from stancewire.nlp.stance_rules import Reading

Signal = tuple[str, str]  # a feature name and the word it comes from
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})
_OBJECT_DEPS = frozenset({"dobj", "obj", "dative", "iobj", "attr", "oprd"})
_AGENT_DEPS = frozenset({"nsubj", "csubj", "agent", "poss"})  # the doer of an act crossed
MAX_CLIMB = 8  # dependency edges climbed from the target looking for evaluative words
IRONY_WINDOW = 4  # tokens each side of the target where an irony marker counts
QUOTE_WINDOW = 10  # tokens from the target to a short quoted fragment


def phrase_root(span: Span) -> Token:
    """The head of the noun phrase the mention belongs to: "[Trump]'s policy" -> "policy"
    stays the mention's own root; "President [Trump]" climbs from "President" to "Trump"."""
    node = span.root
    while node.dep_ in ("compound", "flat", "appos") and node.head.i != node.i:
        node = node.head
    return node


@dataclass(frozen=True, slots=True)
class _Signals:
    """The lists of ``data/stance_signals.yaml``."""

    rising: frozenset[str]
    falling: frozenset[str]
    over: frozenset[str]
    irony: re.Pattern[str]
    moving: frozenset[str]  # rising | falling, built once: a verb of fortune either way
    support_acts: frozenset[str]
    light_verbs: frozenset[str]


@lru_cache(maxsize=1)
def _signals() -> _Signals:
    data = data_yaml("stance_signals.yaml")
    rising, falling, over = (
        frozenset(str(w) for w in data[k]) for k in ("rising", "falling", "over")
    )
    markers = sorted((str(w) for w in data["irony_markers"]), key=len, reverse=True)
    # spaCy splits "so-called" into three tokens: the markers are matched on the text
    irony = re.compile(r"\b(?:" + "|".join(re.escape(m) for m in markers) + r")\b")
    support, light = (frozenset(str(w) for w in data[k]) for k in ("support_acts", "light_verbs"))
    return _Signals(rising, falling, over, irony, rising | falling, support, light)


def irony(doc: Doc, context: Span, mentions: Sequence[Span]) -> list[Signal]:
    """An irony marker within a few tokens of the target, and a short quoted fragment (one
    to three tokens between quotation marks) near it."""
    first = min(m.start for m in mentions)
    last = max(m.end for m in mentions)
    near = doc[max(context.start, first - IRONY_WINDOW) : min(context.end, last + IRONY_WINDOW)]
    out: list[Signal] = []
    found = _signals().irony.search(near.text.lower())
    if found is not None:
        out.append(("irony", found.group(0)))
    quotes = [t.i for t in context if t.is_quote]
    for opening, closing in zip(quotes[::2], quotes[1::2], strict=False):
        inside = closing - opening - 1
        if 1 <= inside <= 3 and (
            abs(opening - first) <= QUOTE_WINDOW or abs(closing - last) <= QUOTE_WINDOW
        ):
            out.append(("scare_quote", doc[opening + 1 : closing].text))
            break
    return out


def fortune(span: Span) -> list[Signal]:
    """The target's place toward a verb of fortune: its subject ("[Clinton] leads", "[Donald]
    can't win", "[Trump] is going to lose"), the owner of its subject ("[Clinton's] support
    has risen") or the one it beats ("leads [Trump]"); negation flips the sign."""
    lists = _signals()
    node = phrase_root(span)
    if node.dep_ == "poss" and node.head.dep_ == "nsubj":
        role, verb = "own", node.head.head
    elif node.dep_ == "nsubj" or (node.dep_ == "nsubjpass" and _xcomp(node.head) is not None):
        role, verb = "subj", node.head  # "[Rubio] is expected to win"
    elif node.dep_ in ("dobj", "obj"):
        role, verb = "obj", node.head
    else:
        return []
    if role != "obj" and verb.lemma_.lower() not in lists.moving:
        # "is going to lose", "expected to win": the verb it serves
        verb = _xcomp(verb) or verb
    lemma = verb.lemma_.lower()
    if role == "obj":
        sign = -1 if lemma in lists.over else 0
    else:
        sign = 1 if lemma in lists.rising else -1 if lemma in lists.falling else 0
    if not sign:
        return []
    if is_negated(verb, lexicon()):
        sign = -sign
    return [(f"fortune:{role}{'+' if sign > 0 else '-'}", verb.text)]


def is_doer(span: Span, word: Token) -> bool:
    """Whether the target named by ``span`` does or holds ``word``, an act of support or praise:
    its subject ("[Kazakhstan] supports"), possessor ("[Obama's] endorsement"), "by" agent
    ("endorsed by [Obama]"), or the subject of a light verb whose object it is ("[Ted] is a
    supporter of", "[Clinton] has support from")."""
    lists = _signals()
    if word.lemma_.lower() not in lists.support_acts:
        return False
    node = phrase_root(span)
    head, dep = node.head, node.dep_
    if head.i == word.i and dep in ("nsubj", "csubj", "poss"):
        return True
    if dep == "pobj" and head.dep_ == "agent" and head.head.i == word.i:
        return True
    return (
        dep in ("nsubj", "csubj")
        and word.head.i == head.i
        and word.dep_ in ("attr", "dobj", "obj", "oprd")
        and head.lemma_.lower() in lists.light_verbs
    )


def _xcomp(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "xcomp"), None)


def evaluative_words(reading: Reading) -> dict[int, tuple[str, Token]]:
    """The evaluative words of a reading by token: the polar words with their sign (marked "v"
    for violence, "g" for the general lexicon) and the reporting verb when it has a stance."""
    out: dict[int, tuple[str, Token]] = {}
    for term in reading.terms:
        if term.polarity:
            marker = "v" if term.violence else "g" if term.general else ""
            out[term.head.i] = (marker + ("+" if term.polarity > 0 else "-"), term.head)
    cue = reading.cue
    if cue is not None and reading.cue_score:
        out[cue.i] = ("+" if reading.cue_score > 0 else "-", cue)
    return out


def evaluated_roles(
    span: Span, covered: set[int], evaluators: dict[int, tuple[str, Token]]
) -> list[Signal]:
    """The target's role toward each evaluative word on its way up the parse: a direct
    argument ("obj", "subj", "prep", "own", "mod") of the first act or evaluative word above
    it, or, past that, the agent ("inagent") or patient ("inpatient") of the act the word
    judges ("criticized Shelby for shooting [Crutcher]")."""
    node = phrase_root(span)
    crossed: str | None = None  # the target's relation to the first act crossed
    out: list[Signal] = []
    for _ in range(MAX_CLIMB):
        head, dep = node.head, node.dep_
        if head.i == node.i:
            break
        if dep == "pobj" and head.pos_ == "ADP" and head.head.i != head.i:
            node, head, dep = head, head.head, "prep"
        found = evaluators.get(head.i) if head.i not in covered else None
        if found is not None:
            sign, word = found
            if crossed is None:
                role = _direct_role(dep)
            else:
                role = "inagent" if crossed in _AGENT_DEPS else "inpatient"
            out.append((f"ev:{role}:{sign}", word.text))
        if crossed is None and (found is not None or head.pos_ == "VERB"):
            crossed = dep
        node = head
    return out


def _direct_role(dep: str) -> str:
    if dep in _SUBJECT_DEPS and dep != "nsubjpass":
        return "subj"
    if dep in _OBJECT_DEPS or dep == "nsubjpass":
        return "obj"
    if dep == "prep":
        return "prep"
    return "own" if dep == "poss" else "mod"


__all__ = [
    "Signal",
    "evaluated_roles",
    "evaluative_words",
    "fortune",
    "irony",
    "is_doer",
    "phrase_root",
]
