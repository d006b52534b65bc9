"""Topics of an article's statements read together (:mod:`.topics` reads each statement alone).

An article is judged by the union of its statements' topics, so one wrong tag in any statement
spoils it, and a long article has many statements. This pass drops a statement's weak asides
the rest of the article does not bear out; it only removes, so every topic kept still has its
evidence in its own statement and a statement still carries at most three
(``topics.MAX_TOPICS``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stancewire.events import Topic
from stancewire.nlp.topic_words import tokens
from stancewire.nlp.topics import MIN_CONTENT_WORDS

# A statement's second or third topic that rests on one piece of evidence in what was said (a
# score under this: total weight under 1.6, one strong term or one phrase of the content with
# at most a term of the sentence or the paragraph's crumbs) is an aside of that statement ("to
# seek legislation ending the immunity gun manufacturers" is law, not economy) unless the
# article carries the topic firmly elsewhere: as some statement's first topic, with more
# evidence, or in REPEATED_SENTENCES distinct sentences. (On the labelled sets 0.65-0.75 give
# the same articles; 0.8 also drops 4 of the 2,662 statements' tags there, 2 of them wrong.)
SECONDARY_MIN_SCORE = 0.8
REPEATED_SENTENCES = 3


def settle_article_topics(
    statement_topics: Sequence[list[Topic]], sentences: Sequence[str], contents: Sequence[str]
) -> list[list[Topic]]:
    """The topics of an article's statements (``assign_topics``' output, one list per
    statement, with their sentence and content texts) with the weak asides dropped.

    A topic below a statement's first that rests on one piece of evidence (score under
    ``SECONDARY_MIN_SCORE``) is kept only when the article carries it firmly in another place
    (a statement's first topic, or a stronger one), repeats it in ``REPEATED_SENTENCES``
    distinct sentences, or the statement lists its term with a stronger topic's ("trade and
    humanitarian collaboration", "regional security and borders"). A fragment content's
    first topic is held to the same bar. An article fails on one
    wrong topic in any statement, and such asides were wrong about as often as right ("gun
    manufacturers" as economy, "doctor documents" as health, "a moral equivalent of war" as
    security), while a topic the article is about recurs. It only removes: every topic kept
    still has its own evidence in its statement.
    """
    fragments = [len(tokens(content)) < MIN_CONTENT_WORDS for content in contents]
    firm: set[str] = set()
    where: dict[str, set[str]] = {}
    for topics, sentence, fragment in zip(statement_topics, sentences, fragments, strict=True):
        for topic in topics:
            if _is_firm(topic, topics, fragment):
                firm.add(topic.id)
            where.setdefault(topic.id, set()).add(sentence)
    return [
        [
            topic
            for topic in topics
            if _is_firm(topic, topics, fragment)
            or topic.id in firm
            or len(where[topic.id]) >= REPEATED_SENTENCES
            or _listed_with_stronger(topic, topics, (content, sentence))
        ]
        for topics, sentence, content, fragment in zip(
            statement_topics, sentences, contents, fragments, strict=True
        )
    ]


def _is_firm(topic: Topic, topics: list[Topic], fragment: bool) -> bool:
    """The statement's first topic (or tied with it), or one with more than one piece of
    evidence. A fragment's ("the pick", "her work") topics come from its sentence, which
    stands in for what was said (:func:`.topics.assign_topics`): none of them is firm on one
    piece of evidence, the first included."""
    if fragment:
        return topic.score >= SECONDARY_MIN_SCORE
    return topic.score >= min(topics[0].score, SECONDARY_MIN_SCORE)


# Two terms side by side in a list: "trade and humanitarian collaboration", "taxes, jobs"
_LIST_JOIN = r"\s*(?:,|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*(?:(?:the|a|an)\s+)?"


def _listed_with_stronger(topic: Topic, topics: list[Topic], texts: tuple[str, str]) -> bool:
    """Whether the content or the sentence (which may name the subject: "In discussing
    regional security and borders, ...") lists an evidence term of ``topic`` beside one of a
    stronger topic of the statement, joined by a comma, "and" or "or"."""
    text = "\n".join(texts).lower().replace("-", " ").replace("\u2019", "'")
    stronger = [t for t in topics if t.score > topic.score]
    for own in topic.evidence:
        for other in (e for t in stronger for e in t.evidence):
            for first, second in ((own, other), (other, own)):
                pattern = rf"\b{re.escape(first)}\w*{_LIST_JOIN}\b{re.escape(second)}"
                if re.search(pattern, text):
                    return True
    return False


__all__ = ["REPEATED_SENTENCES", "SECONDARY_MIN_SCORE", "settle_article_topics"]
