"""Features of one target in one parsed context, for the learned stance model.

A target is one entity's mentions (token spans) inside a context (the span over which the
stance is computed: a statement's content, or a whole sentence). Every feature is a name with a
value, most of them 1.0, some of them real numbers; a feature that comes from a word also keeps
that word, so the model can say which words drove its decision. The features:

* the words around the target, by side and distance ("L:", "R:", "n:" within three tokens,
  "L1:"/"R1:" next to it, "L2:"/"R2:" the bigram next to it); a bag of every word of the
  context was tried and dropped: target-blind, it lowered dev macro-F1 on both dev splits;
* the target's place in the dependency parse: its relation and the lemma it hangs from
  ("dep:", "gov:", "gov2:"), its role toward the nearest verb ("role:subj:criticize",
  "role:obj:praise"), the modifiers of the target itself ("mod:"), and the words on short
  dependency paths from it ("p:");
* the stance lexicon's signals (:mod:`stancewire.nlp.stance_rules`: the PLOVER-scaled
  lexicon, with VADER's word lexicon as fallback): each polar word's contribution after negation
  scope, shifters and contrast, weighted by its dependency distance to the target and by whether
  the target does or suffers the act, summed by source and sign ("lex+", "lex-", "gen+",
  "gen-", "cue+", "cue-" for the reporting verb's own stance), one indicator per polar lemma
  with its sign ("pw+:", "pw-:"), and the lexicon's verdict ("rule+", "rule-": tanh of the
  sum; "rulec+" too when a positive verdict's strongest word had its sign turned: "not
  hostile", "absence of disputes"); in a statement, an act of support or praise whose doer or
  holder is the target ("[Ted] is a supporter of", "[Clinton] has support from 52 percent")
  stays out of the verdict and is "doer+" instead;
* the signals of :mod:`stancewire.nlp.stance_signals`: the target's role toward each evaluative
  word above it ("ev:obj:-" for "criticized [Shelby]", "ev:inpatient:-" for "criticized Shelby
  for shooting [Crutcher]": the evaluation falls on its object and on the agent of the act it
  judges, much less on whom that act befalls; NewsMTSC train: 53% of the patients of an act a
  negative word judges are negative, 80% of its agents, 92% of its direct objects), its place
  toward a verb of a contender's fortune ("fortune:subj-" for "Donald can't win"), irony
  ("irony", "scare_quote");
* the reporting verb, when the caller names it and it lies outside the context: its word joins
  the target's neighbours, and its own stance comes in through "cue+"/"cue-" (NewsMTSC has no
  separate cue, so a verb inside the sentence shows up as "gov:"/"role:" instead); the words
  from it up to the context ("cw:", up to six: "had harsh words for", "was a booster of") and
  VADER's score of them ("cwv+", "cwv-"), and "target_alone" when the content is little more
  than the target ("endorsed [Clinton]"); when the cue is aimed at a named object that is not
  this target ("criticized [Shelby] for shooting Crutcher", for Crutcher) the phrase's features
  are "cwx:" and "cwxv+"/"cwxv-" instead: the cue's words are about someone else;
* VADER's sentence score of the whole context ("vader+", "vader-"), target-blind.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from stancewire.nlp.polar_lexicon import lexicon
from stancewire.nlp.polarity import is_negated
from stancewire.nlp.roles import is_cue_object, other_phrases, path_length
from stancewire.nlp.stance_rules import Reading, contributions
from stancewire.nlp.stance_signals import (
    evaluated_roles,
    evaluative_words,
    fortune,
    irony,
    is_doer,
    phrase_root,
)

WINDOW = 8  # tokens each side whose words count as the target's neighbours
NEAR = 3  # tokens: "n:" features
PATH_WORDS = 2  # dependency edges: "p:" features
CUE_PHRASE = 6  # tokens from the reporting verb toward the context: "cw:" features
_CLIMB_DEPS = frozenset({"compound", "flat", "appos", "poss", "amod", "det", "case", "nmod"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})
_OBJECT_DEPS = frozenset({"dobj", "obj", "dative", "iobj", "attr", "oprd"})


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature of a target: its name, its value and the word it comes from ("" if none)."""

    name: str
    value: float
    word: str = ""


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=256)
def sentence_sentiment(text: str) -> float:
    """VADER's compound score of ``text`` (-1..1), target-blind."""
    return float(_vader().polarity_scores(text)["compound"])


def target_features(reading: Reading, context: Span, mentions: Sequence[Span]) -> list[Feature]:
    """Features of the target whose mentions are ``mentions`` (spans inside ``context``, the
    span of ``reading``), for the stance expressed over the context."""
    features: list[Feature] = [Feature("bias", 1.0)]
    if not mentions or len(context) == 0:
        return features
    doc = reading.doc
    covered = {i for span in mentions for i in range(span.start, span.end)}
    primary = mentions[0]
    cue = reading.cue
    # a polar word in a phrase naming another entity is about it, not this target
    elsewhere = other_phrases(doc, covered, reading.entity_tokens - covered)
    polar = {i for term in reading.terms for i in term.tokens}
    tokens = [t for t in context if t.i not in covered and not (t.i in elsewhere and t.i in polar)]
    if cue is not None and cue.i not in covered and not context.start <= cue.i < context.end:
        tokens.append(cue)
        # "criticized [Shelby] for shooting Crutcher": the cue phrase is aimed at its named
        # object; for the other targets its words are marked as aimed elsewhere
        elsewhere_cue = reading.object_named and not any(
            is_cue_object(m, reading.objects) for m in mentions
        )
        features.extend(_cue_phrase_features(doc, cue, context, covered, elsewhere_cue))
    features.extend(_window_features(doc, mentions, tokens, covered))
    for span in mentions[:3]:
        features.extend(_syntax_features(span, covered))
    features.extend(_path_word_features(primary, tokens))
    signals = fortune(primary) + irony(doc, context, mentions)
    evaluators = evaluative_words(reading)
    if evaluators:
        for span in mentions[:3]:
            signals.extend(evaluated_roles(span, covered, evaluators))
    features.extend(Feature(name, 1.0, word) for name, word in signals)
    features.extend(_lexicon_features(reading, list(mentions)))
    vader = sentence_sentiment(context.text)
    features.append(Feature("vader+" if vader >= 0 else "vader-", abs(vader)))
    if abs(vader) < 0.05:
        features.append(Feature("vader0", 1.0))
    if any(t.lower_ in ("he", "she", "him", "her", "his", "they") for t in primary):
        features.append(Feature("pronoun_target", 1.0))
    return _merged(features)


def _cue_phrase_features(
    doc: Doc, cue: Token, context: Span, covered: set[int], elsewhere: bool = False
) -> list[Feature]:
    """The words from the reporting verb to the context ("had [harsh words for] the character
    of Clinton", "was a full-fledged [booster of] Mitt Romney"): a cue phrase carries stance
    that its head lemma does not, most of all when the content is little more than the target.
    Each content word is a "cw:" feature, and VADER's score of the phrase "cwv+" or "cwv-"."""
    if cue.i < context.start:
        phrase = doc[max(cue.i, context.start - CUE_PHRASE) : context.start]
    else:
        phrase = doc[context.end : min(cue.i + 1, context.end + CUE_PHRASE)]
    words = [t for t in phrase if t.i not in covered and not (t.is_punct or t.is_space)]
    prefix = "cwx" if elsewhere else "cw"
    out = [
        Feature(f"{prefix}:{t.lemma_.lower()}", 1.0, t.text)
        for t in words
        if not t.is_stop or t.i == cue.i
    ]
    if words:
        vader = sentence_sentiment(" ".join(t.text for t in words))
        if abs(vader) >= 0.05:
            out.append(Feature(f"{prefix}v{'+' if vader > 0 else '-'}", abs(vader)))
    if len(context) - len(covered & set(range(context.start, context.end))) <= 2:
        out.append(Feature("target_alone", 1.0))  # the content is (almost) only the target
    return out


def _merged(features: list[Feature]) -> list[Feature]:
    """One feature per name: a repeated indicator stays 1, real values add up."""
    merged: dict[str, Feature] = {}
    for feature in features:
        seen = merged.get(feature.name)
        if seen is None:
            merged[feature.name] = feature
        elif _is_real(feature.name):
            merged[feature.name] = Feature(feature.name, seen.value + feature.value, seen.word)
    return list(merged.values())


def _is_real(name: str) -> bool:
    return name[:3] in ("lex", "gen", "cue") and name[3:] in ("+", "-")


def _window_features(
    doc: Doc, mentions: Sequence[Span], tokens: list[Token], covered: set[int]
) -> list[Feature]:
    starts = [span.start for span in mentions]
    ends = [span.end for span in mentions]
    out: list[Feature] = []
    for token in tokens:
        if token.is_punct or token.is_space:
            continue
        lemma = token.lemma_.lower()
        word = token.text
        before = min((s - token.i for s in starts if s > token.i), default=None)
        after = min((token.i - e + 1 for e in ends if token.i >= e), default=None)
        distance = min(d for d in (before, after, 10**6) if d is not None)
        if distance > WINDOW:
            continue
        side = "L" if before is not None and (after is None or before <= after) else "R"
        out.append(Feature(f"{side}:{lemma}", 1.0, word))
        if distance <= NEAR:
            out.append(Feature(f"n:{lemma}", 1.0, word))
    for span in mentions[:3]:
        out.extend(_neighbour_features(doc, span, covered))
    return out


def _neighbour_features(doc: Doc, span: Span, covered: set[int]) -> list[Feature]:
    out: list[Feature] = []
    left = [doc[i] for i in range(span.start - 1, max(-1, span.start - 3), -1)]
    right = [doc[i] for i in range(span.end, min(len(doc), span.end + 2))]
    left = [t for t in left if t.i not in covered and not t.is_space]
    right = [t for t in right if t.i not in covered and not t.is_space]
    if left:
        out.append(Feature(f"L1:{left[0].lower_}", 1.0, left[0].text))
        if len(left) > 1:
            out.append(Feature(f"L2:{left[1].lower_}_{left[0].lower_}", 1.0, left[0].text))
    else:
        out.append(Feature("L1:<s>", 1.0))
    if right:
        out.append(Feature(f"R1:{right[0].lower_}", 1.0, right[0].text))
        if len(right) > 1:
            out.append(Feature(f"R2:{right[0].lower_}_{right[1].lower_}", 1.0, right[1].text))
    return out


def _syntax_features(span: Span, covered: set[int]) -> list[Feature]:
    root = phrase_root(span)
    out = [Feature(f"dep:{root.dep_}", 1.0)]
    head = root.head
    if head.i != root.i and head.i not in covered:
        out.append(Feature(f"gov:{root.dep_}:{head.lemma_.lower()}", 1.0, head.text))
        out.append(Feature(f"gov:{head.lemma_.lower()}", 1.0, head.text))
        if head.head.i != head.i and head.head.i not in covered:
            grand = head.head
            out.append(Feature(f"gov2:{grand.lemma_.lower()}", 1.0, grand.text))
    for child in root.children:
        if child.i in covered or child.is_punct:
            continue
        if child.dep_ in ("amod", "appos", "acl", "relcl", "compound", "nmod"):
            out.append(Feature(f"mod:{child.lemma_.lower()}", 1.0, child.text))
    verb, role = _verb_role(root)
    if verb is not None and verb.i not in covered:
        negated = "not:" if is_negated(verb, lexicon()) else ""
        lemma = verb.lemma_.lower()
        out.append(Feature(f"role:{role}:{negated}{lemma}", 1.0, verb.text))
        for child in verb.children:
            if child.i in covered or child.is_punct:
                continue
            if role == "subj" and child.dep_ in _OBJECT_DEPS | {"acomp", "xcomp", "ccomp"}:
                out.append(Feature(f"subj_obj:{child.lemma_.lower()}", 1.0, child.text))
            elif role == "obj" and child.dep_ in _SUBJECT_DEPS:
                out.append(Feature(f"obj_subj:{child.lemma_.lower()}", 1.0, child.text))
    return out


def _verb_role(root: Token) -> tuple[Token | None, str]:
    """The verb the target is an argument of, and whether it is its subject, object or
    something else ("prep:against" for "sanctions against [Iran]")."""
    node = root
    role = ""
    while node.dep_ in _CLIMB_DEPS and node.head.i != node.i:
        node = node.head
    if node.dep_ in _SUBJECT_DEPS:
        role = "subj" if node.dep_ != "nsubjpass" else "obj"
    elif node.dep_ in _OBJECT_DEPS:
        role = "obj"
    elif node.dep_ == "pobj" and node.head.head.i != node.head.i:
        role = f"prep:{node.head.lower_}"
        node = node.head
        if node.head.pos_ not in ("VERB", "AUX"):
            return node.head, role
    else:
        return None, ""
    head = node.head
    if head.i == node.i:
        return None, ""
    if node.dep_ == "agent":
        role = "subj"
    return head, role


def _path_word_features(primary: Span, tokens: list[Token]) -> list[Feature]:
    root = primary.root
    out: list[Feature] = []
    for token in tokens:
        if token.is_punct or token.is_space or token.is_stop:
            continue
        distance = path_length(root, token)
        if distance is not None and distance <= PATH_WORDS:
            out.append(Feature(f"p:{token.lemma_.lower()}", 1.0, token.text))
    return out


def _lexicon_features(reading: Reading, mentions: list[Span]) -> list[Feature]:
    """The lexicon scorer's contributions toward this target, as features: summed by source
    and sign, and one indicator per polar lemma with its sign."""
    out: list[Feature] = []
    total = 0.0
    strongest = {1.0: (0.0, False), -1.0: (0.0, False)}  # per sign: |score|, composed?
    doc = reading.doc
    # a statement's (a cue was given): in NewsMTSC's sentences the doer of an act of support
    # is as often positive as not (12 of 24 train targets), in quoted speech never (0 of 13)
    statement = reading.cue_lemma is not None
    for contribution in contributions(reading, mentions):
        value = contribution.score
        if value == 0:
            continue
        if (
            value > 0
            and statement
            and contribution.head >= 0
            and any(is_doer(m, doc[contribution.head]) for m in mentions)
        ):
            # "[Ted] is a supporter of ...": the word says what the target does, not what the
            # speaker thinks of it; learned ("doer+"), not part of the verdict and its prior
            out.append(Feature("doer+", 1.0, contribution.evidence))
            out.append(Feature(f"pw+:{contribution.lemma}", 1.0, contribution.evidence))
            continue
        total += value
        side = 1.0 if value > 0 else -1.0
        if abs(value) > strongest[side][0]:
            strongest[side] = (abs(value), contribution.composed)
        sign = "+" if value > 0 else "-"
        word = contribution.evidence
        out.append(Feature(f"{contribution.source}{sign}", abs(value), word))
        out.append(Feature(f"pw{sign}:{contribution.lemma}", 1.0, word))
        if abs(value) >= 0.5:
            out.append(Feature(f"{contribution.source}{sign}strong", 1.0, word))
    if total:
        out.append(Feature("rule+" if total > 0 else "rule-", math.tanh(abs(total))))
        if total > 0 and strongest[1.0][1]:
            # a positive verdict whose strongest word had its sign turned ("not hostile",
            # "absence of disputes"): composition, which the lexicon reads and the training
            # pairs are too few to teach; the model gives it a fixed prior only
            # (bench/train_stance.py, COMPOSED_PRIOR)
            out.append(Feature("rulec+", math.tanh(total)))
    return out


__all__ = ["Feature", "sentence_sentiment", "target_features"]
