"""PLOVER events read from a plain cue's content: the speaker's denial of a past act of their
own and a claim noun called wrong (REJECT: plover_predicates.denial_event, falsity_event), an
evaluation of another actor whose object the parse coordinates with the verb
(plover_evaluation)."""

from __future__ import annotations

import pytest
from spacy.language import Language
from test_plover_predicates import coded


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        ("Smith said he never pledged to kill them.", "he never pledged to kill them"),
        ("Smith said he had never touched her.", "he had never touched her"),
        ("Smith said he did not take the money.", "he did not take the money"),
    ],
)
def test_the_speakers_negated_past_act_is_a_denial(
    nlp: Language, sentence: str, content: str
) -> None:
    event = coded(nlp, sentence, "said", content)
    assert event.type == "REJECT"
    assert not event.negated  # the denial is the event


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        ("Smith said he did not recall the meeting.", "he did not recall the meeting"),
        ("Smith said he does not support the bill.", "he does not support the bill"),
        ('"I never took the money," Smith said.', "I never took the money"),
    ],
)
def test_a_state_a_present_position_or_a_quoted_memory_is_no_denial(
    nlp: Language, sentence: str, content: str
) -> None:
    assert coded(nlp, sentence, "said", content).type != "REJECT"


def test_a_claim_noun_called_wrong_is_rejected_but_not_an_act(nlp: Language) -> None:
    facts = '"Your facts are wrong," Smith said.'
    assert coded(nlp, facts, "said", "Your facts are wrong").type == "REJECT"
    act = '"What they are doing is wrong," Smith said.'
    assert coded(nlp, act, "said", "What they are doing is wrong").type != "REJECT"


def test_an_object_conjunct_hung_on_the_verb_is_part_of_the_evaluation(nlp: Language) -> None:
    sentence = (
        "\u201cMostly he promotes ignorance and \u2018oh so much\u2019 hate.\u201d Smith said."
    )
    doc = nlp(sentence)
    hate = next(t for t in doc if t.text == "hate")
    assert hate.dep_ == "conj" and hate.head.text == "promotes"  # the parse this rule reads
    content = "Mostly he promotes ignorance and \u2018oh so much\u2019 hate."
    assert coded(nlp, sentence, "said", content).type == "ACCUSE"
