"""PLOVER events read from a plain cue's content: the speaker's denial of a past act of their
own and a claim noun called wrong (REJECT: plover_predicates.denial_event, falsity_event), an
evaluation of another actor whose object the parse coordinates with the verb
(plover_evaluation); the last-resort stance accusation's limits (an unnamed speaker, a cited
document) and an offer that is no commitment (plover.yaml's cue_needs)."""

from __future__ import annotations

import pytest
from spacy.language import Language
from test_plover_predicates import coded, senator_disliked

from stancewire.events import Content, Cue, Event, Mention, Speaker, Stance, Target
from stancewire.nlp.plover import code_event


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


def _stance_accusation(nlp: Language, cue: str, lemma: str, speaker: Speaker) -> Event:
    """'X {cue} the senator was in deep trouble with his own voters', the senator disliked
    (the rules' last-resort stance check; its tests take ``rules_only``: the learned layer may
    drop such an accusation, ``test_plover_model``)."""
    sentence = f"{speaker.name} {cue} the senator was in deep trouble with his own voters."
    return senator_disliked(nlp, sentence, cue, lemma, speaker)


def test_a_negative_stance_voiced_by_an_unnamed_speaker_is_no_accusation(
    nlp: Language, rules_only: None
) -> None:
    named = Speaker(name="Smith", mention=None, kind="person", resolution="explicit")
    assert _stance_accusation(nlp, "said", "say", named).type == "ACCUSE"
    unnamed = Speaker(name="Respondents", mention=None, kind="unknown", resolution="none")
    assert _stance_accusation(nlp, "said", "say", unnamed).type is None


def test_a_negative_stance_in_a_cited_document_is_no_accusation(
    nlp: Language, rules_only: None
) -> None:
    paper = Speaker(name="the newspaper", mention=None, kind="organization", resolution="none")
    assert _stance_accusation(nlp, "said", "say", paper).type == "ACCUSE"
    sentence = "According to the newspaper, the senator was in deep trouble with his own voters."
    doc = nlp(sentence)
    start = sentence.index("the senator")
    senator = Target(
        name="the senator",
        kind="person",
        mentions=[Mention(text="the senator", start=start, end=start + 11)],
        stance=Stance(label="negative", score=-0.6),
    )
    event = code_event(
        doc,
        Cue(text="According to", lemma="according to", start=0, end=12),
        Content(text=sentence[start:-1], start=start, end=len(sentence) - 1),
        paper,
        [senator],
    )
    assert event.type is None


@pytest.mark.parametrize(
    ("sentence", "content", "expected"),
    [
        (
            "Smith offered to mediate between the two parties.",
            "to mediate between the two",
            "AGREE",
        ),
        ("Smith offered voters different approaches to the budget.", "different approaches", None),
        ("Smith offered his thoughts on the election.", "his thoughts on the election", None),
    ],
)
def test_an_offer_to_act_agrees_but_an_offered_thing_is_no_event(
    nlp: Language, sentence: str, content: str, expected: str | None
) -> None:
    assert coded(nlp, sentence, "offered", content).type == expected


def test_a_contest_result_is_no_praise_or_blame(nlp: Language) -> None:
    praised = "Smith said Jones was a brilliant and honest leader."
    assert coded(nlp, praised, "said", "Jones was a brilliant and honest leader").type == "SUPPORT"
    won = "Smith said Jones won a great victory in Ohio."
    assert coded(nlp, won, "said", "Jones won a great victory in Ohio").type is None


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        ("Smith questioned her judgment on Iraq.", "questioned", "her judgment on Iraq", "ACCUSE"),
        (
            "Smith said he questioned her judgment on Iraq.",
            "said",
            "he questioned her judgment on Iraq",
            "ACCUSE",
        ),
        ("Smith questioned the logic of the plan.", "questioned", "the logic of the plan", None),
        (
            "Smith questioned whether the plan would work.",
            "questioned",
            "whether the plan would work",
            None,
        ),
        ("The justice sounded off on Trump.", "sounded", "on Trump", "ACCUSE"),
    ],
)
def test_questioning_a_persons_quality_or_sounding_off_accuses(
    nlp: Language, sentence: str, cue: str, content: str, expected: str | None
) -> None:
    assert coded(nlp, sentence, cue, content).type == expected


def test_a_negative_stance_toward_the_speakers_own_country_is_no_accusation(
    nlp: Language,
) -> None:
    sentence = "Tokayev said Kazakhstan faced hard choices over the sanctions."
    doc = nlp(sentence)
    start = sentence.index("Kazakhstan")
    content = Content(text=sentence[start:-1], start=start, end=len(sentence) - 1)
    kazakhstan = Target(
        name="Kazakhstan",
        kind="country",
        country="KZ",
        mentions=[Mention(text="Kazakhstan", start=start, end=start + 10)],
        stance=Stance(label="negative", score=-0.7),
    )
    cue = Cue(text="said", lemma="say", start=8, end=12)
    foreign = Speaker(name="Smith", mention=None, kind="person", resolution="explicit")
    assert code_event(doc, cue, content, foreign, [kazakhstan]).type == "ACCUSE"
    own = foreign.model_copy(update={"name": "Tokayev", "country": "KZ"})
    assert code_event(doc, cue, content, own, [kazakhstan]).type is None


@pytest.mark.parametrize(
    ("sentence", "content", "expected"),
    [
        (
            "Smith said the agency covered up the intrusions.",
            "the agency covered up the intrusions",
            "ACCUSE",
        ),
        ("Smith said the agency covered the costs.", "the agency covered the costs", None),
        ("Smith said Jones incited the crowd.", "Jones incited the crowd", "ACCUSE"),
        ("Smith said Jones pandered to the donors.", "Jones pandered to the donors", "ACCUSE"),
    ],
)
def test_a_blameworthy_act_of_someone_else_accuses_them(
    nlp: Language, sentence: str, content: str, expected: str | None
) -> None:
    assert coded(nlp, sentence, "said", content).type == expected


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        (
            "Hillary Clinton Says No To Fox News As Sanders Turns Up The Heat.",
            "Says",
            "No To Fox News",
            "REJECT",
        ),
        ("Smith said he said no to the war.", "said", "he said no to the war", "REJECT"),
        (
            "Smith said there was no reason to leave.",
            "said",
            "there was no reason to leave",
            None,
        ),
    ],
)
def test_saying_no_to_something_rejects_it(
    nlp: Language, sentence: str, cue: str, content: str, expected: str | None
) -> None:
    assert coded(nlp, sentence, cue, content).type == expected


def test_being_a_fan_of_or_respecting_an_actor_supports_them(nlp: Language) -> None:
    fan = '"I\'m a big fan of the governor," Smith said.'
    assert coded(nlp, fan, "said", "I'm a big fan of the governor").type == "SUPPORT"
    respect = '"I have tremendous respect for Governor Pence," Smith said.'
    assert coded(nlp, respect, "said", "I have tremendous respect for Governor Pence").type == (
        "SUPPORT"
    )
    other = '"I have a meeting for the governor," Smith said.'
    assert coded(nlp, other, "said", "I have a meeting for the governor").type is None
    not_fan = '"I\'m not a fan of the governor," Smith said.'
    event = coded(nlp, not_fan, "said", "I'm not a fan of the governor")
    assert (event.type, event.negated) == ("SUPPORT", True)


def test_a_candidate_called_qualified_is_praised_and_unqualified_criticised(
    nlp: Language,
) -> None:
    praised = "Smith said Jones is qualified to be president."
    assert coded(nlp, praised, "said", "Jones is qualified to be president").type == "SUPPORT"
    criticised = "Smith said Jones is unqualified to be president."
    assert coded(nlp, criticised, "said", "Jones is unqualified to be president").type == ("ACCUSE")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("John Kasich is the right choice for the country", "SUPPORT"),
        ("John Kasich is the leader that we need", "SUPPORT"),
        ("John Kasich would be the strongest nominee", "SUPPORT"),
        ("John Kasich is the right age for the job", None),
        ("John Kasich is not the right choice", None),
    ],
)
def test_a_ranking_for_an_office_is_praise_without_an_evaluative_word(
    nlp: Language, rules_only: None, content: str, expected: str | None
) -> None:
    assert coded(nlp, f"Smith said {content}.", "said", content).type == expected
