"""PLOVER event coding of a plain "said" whose content carries the event: obligations laid on
another actor ("he's got to do it"), acts not yet or no longer done (negated), and evaluations
inside a quotation whose cue names the speaker by a pronoun ('"He was very articulate," he
said')."""

from __future__ import annotations

import pytest
from spacy.language import Language

from stancewire.events import Content, Cue, Event, Mention, Speaker
from stancewire.nlp.plover import code_event


def coded(nlp: Language, sentence: str, content: str, mention: str | None = None) -> Event:
    """Code ``sentence`` with the cue "said", ``content`` and speaker Smith, mentioned at the
    cue by ``mention`` (the word right before "said") when given."""
    doc = nlp(sentence)
    cue_start = sentence.rindex("said")
    start = sentence.index(content)
    at = sentence.rindex(mention, 0, cue_start) if mention is not None else None
    speaker = Speaker(
        name="Smith",
        mention=None if at is None else Mention(text=mention or "", start=at, end=at + 2),
        kind="person",
        resolution="explicit" if at is None else "pronoun",
    )
    return code_event(
        doc,
        Cue(text="said", lemma="say", start=cue_start, end=cue_start + 4),
        Content(text=content, start=start, end=start + len(content)),
        speaker,
    )


@pytest.mark.parametrize(
    ("sentence", "content", "expected"),
    [
        (
            '"If he wants to hold that stature, he\'s got to do it," Smith said.',
            "If he wants to hold that stature, he's got to do it",
            "REQUEST",
        ),
        (
            '"They have got to stop the attacks," Smith said.',
            "They have got to stop the attacks",
            "REQUEST",
        ),
        ('"We\'ve got to win this state," Smith said.', "We've got to win this state", None),
        ('"I\'ve got to go," Smith said.', "I've got to go", None),
        ('"He has got a new job," Smith said.', "He has got a new job", None),
    ],
)
def test_have_got_to_lays_an_obligation_on_another_actor(
    nlp: Language, sentence: str, content: str, expected: str | None
) -> None:
    assert coded(nlp, sentence, content).type == expected


def test_have_got_to_keeps_its_negation(nlp: Language) -> None:
    sentence = '"They have got to not give up," Smith said.'
    event = coded(nlp, sentence, "They have got to not give up")
    assert event.type == "REQUEST"
    assert event.negated


def test_a_third_person_pronoun_in_a_quotation_is_not_the_pronoun_speaker(
    nlp: Language,
) -> None:
    sentence = '"He was very articulate, smart, well-spoken," he said.'
    content = "He was very articulate, smart, well-spoken"
    assert coded(nlp, sentence, content, mention="he").type == "SUPPORT"
    reported = "Smith said he was very articulate, smart, well-spoken."
    # Outside a quotation "he" is the speaker: speaking well of oneself is no support.
    assert coded(nlp, reported, "he was very articulate, smart, well-spoken").type is None


@pytest.mark.parametrize(
    ("sentence", "content", "expected"),
    [
        ("Smith said he has yet to endorse Trump.", "he has yet to endorse Trump", "SUPPORT"),
        ("Smith said she no longer supports Trump.", "she no longer supports Trump", "SUPPORT"),
        ("Smith said he had yet to apologize.", "he had yet to apologize", "CONCEDE"),
    ],
)
def test_an_act_not_yet_or_no_longer_done_is_negated(
    nlp: Language, sentence: str, content: str, expected: str
) -> None:
    event = coded(nlp, sentence, content)
    assert (event.type, event.negated, event.intensity) == (expected, True, 0.0)


def test_an_act_not_yet_done_by_someone_else_is_no_obligation(nlp: Language) -> None:
    assert (
        coded(
            nlp, "Smith said Ryan has yet to endorse Trump.", "Ryan has yet to endorse Trump"
        ).type
        is None
    )
    assert (
        coded(nlp, "Smith said Ryan has to endorse Trump.", "Ryan has to endorse Trump").type
        == "REQUEST"
    )


@pytest.mark.parametrize(
    ("content", "expected", "negated"),
    [
        ("he refused to endorse Trump", "SUPPORT", True),
        ("he refrained from criticizing Trump", "ACCUSE", True),
        ("they refused the offer", "REJECT", False),  # a refusal with no act under it
    ],
)
def test_a_negator_in_the_content_negates_the_act_it_governs(
    nlp: Language, content: str, expected: str, negated: bool
) -> None:
    event = coded(nlp, f"Smith said {content}.", content)
    assert (event.type, event.negated) == (expected, negated)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Trump ignored the warnings of his own generals", "ACCUSE"),
        ("the Democrats abandoned the working class", "ACCUSE"),
        ("Trump flouted the rules", "ACCUSE"),
        ("Trump read the warnings of his own generals", None),
    ],
)
def test_a_blameworthy_act_of_another_actor_accuses(
    nlp: Language, content: str, expected: str | None
) -> None:
    assert coded(nlp, f"Smith said {content}.", content).type == expected


@pytest.mark.parametrize(
    ("sentence", "content", "expected"),
    [
        (
            '"Now is the time for all good leaders to come to the aid of their party," Smith said.',
            "Now is the time for all good leaders to come to the aid of their party",
            "REQUEST",
        ),
        (
            '"This could be a good time to borrow and pay off debt," Smith said.',
            "This could be a good time to borrow and pay off debt",
            None,
        ),
    ],
)
def test_its_time_to_act_is_an_appeal_but_a_good_time_to_borrow_is_not(
    nlp: Language, sentence: str, content: str, expected: str | None
) -> None:
    assert coded(nlp, sentence, content).type == expected
