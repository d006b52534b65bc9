"""PLOVER event coding over the content's parse: opinion clauses, copular predicates, claims
called false, threat nouns, nominal cues, requests by "asked for" and "wants X to"."""

from __future__ import annotations

import pytest
from spacy.language import Language

from stancewire.events import Content, Cue, Event, Mention, Speaker, Stance, Target
from stancewire.nlp.plover import code_event, mapping


def coded(nlp: Language, sentence: str, cue_word: str, content: str) -> Event:
    """Code ``sentence`` with the cue at ``cue_word`` and ``content`` (both substrings)."""
    doc = nlp(sentence)
    cue_start = sentence.index(cue_word)
    cue_span = doc.char_span(cue_start, cue_start + len(cue_word), alignment_mode="expand")
    assert cue_span is not None
    start = sentence.index(content)
    return code_event(
        doc,
        Cue(
            text=cue_word,
            lemma=" ".join(t.lemma_ for t in cue_span),
            start=cue_start,
            end=cue_start + len(cue_word),
        ),
        Content(text=content, start=start, end=start + len(content)),
        Speaker(name="Smith", mention=None, kind="person", resolution="explicit"),
    )


def test_mapping_word_lists_are_strings_not_yaml_booleans() -> None:
    table = mapping()
    assert "false" in table.falsity_words
    assert "true" in table.truth_words


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        ('"That is a false equivalency," Smith replied.', "That is a false equivalency"),
        (
            "Smith said the reports were lies and conspiracy theories.",
            "the reports were lies and conspiracy theories",
        ),
        ('"The story is not true," Smith said.', "The story is not true"),
    ],
)
def test_calling_a_claim_false_rejects_it(nlp: Language, sentence: str, content: str) -> None:
    cue = "replied" if "replied" in sentence else "said"
    event = coded(nlp, sentence, cue, content)
    assert event.type == "REJECT"
    assert not event.negated  # "not true" is the rejection itself


def test_a_true_claim_is_no_rejection(nlp: Language) -> None:
    sentence = '"The story is true," Smith said.'
    assert coded(nlp, sentence, "said", "The story is true").type is None


def test_a_person_called_wrong_is_not_a_rejected_claim(nlp: Language) -> None:
    sentence = '"Jones is wrong about the budget," Smith said.'
    assert coded(nlp, sentence, "said", "Jones is wrong about the budget").type != "REJECT"


def test_a_committed_speaker_agrees_and_an_opposed_one_rejects(nlp: Language) -> None:
    agree = '"We remain committed to the peace talks," Smith said.'
    assert coded(nlp, agree, "said", "We remain committed to the peace talks").type == "AGREE"
    reject = '"We are opposed to the new pipeline," Smith said.'
    assert coded(nlp, reject, "said", "We are opposed to the new pipeline").type == "REJECT"


def test_a_first_person_opinion_clause_is_read_as_the_speakers_claim(
    nlp: Language, rules_only: None
) -> None:
    sentence = '"I think we will meet the delegation on Monday," Smith said.'
    content = "I think we will meet the delegation on Monday"
    assert coded(nlp, sentence, "said", content).type == "CONSULT"
    reported = "Smith said Jones thinks they will meet the delegation on Monday."
    content = "Jones thinks they will meet the delegation on Monday"
    assert coded(nlp, reported, "said", content).type is None  # not the speaker's opinion


def test_being_to_blame_accuses(nlp: Language) -> None:
    sentence = "Smith said the Democrats and the media are to blame for the crisis."
    content = "the Democrats and the media are to blame for the crisis"
    assert coded(nlp, sentence, "said", content).type == "ACCUSE"


def test_consequences_threaten_but_consequences_of_something_do_not(nlp: Language) -> None:
    threat = "Smith said there will be consequences for the regime."
    assert coded(nlp, threat, "said", "there will be consequences for the regime").type == (
        "THREATEN"
    )
    laid_on = "Smith said Iran would suffer serious consequences."
    assert coded(nlp, laid_on, "said", "Iran would suffer serious consequences").type == (
        "THREATEN"
    )
    feared = "Smith said workers fear retaliation from their bosses."
    assert coded(nlp, feared, "said", "workers fear retaliation from their bosses").type is None
    described = "Smith said the consequences for the economy will be severe."
    content = "the consequences for the economy will be severe"
    assert coded(nlp, described, "said", content).type != "THREATEN"
    effect = "Smith said the consequences of the drought were severe."
    assert coded(nlp, effect, "said", "the consequences of the drought were severe").type != (
        "THREATEN"
    )


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        (
            "Smith sounded a call for the government to accept more refugees.",
            "sounded",
            "a call for the government to accept more refugees",
            "REQUEST",
        ),
        (
            "Smith voiced support for the new trade agreement.",
            "voiced",
            "support for the new trade agreement",
            "SUPPORT",
        ),
        (
            "Smith issued a threat against the rebels.",
            "issued",
            "a threat against the rebels",
            "THREATEN",
        ),
    ],
)
def test_a_cue_verb_with_a_nominal_cue_object_is_that_event(
    nlp: Language, sentence: str, cue: str, content: str, expected: str
) -> None:
    assert coded(nlp, sentence, cue, content).type == expected


def test_a_nominal_cue_under_a_negated_verb_is_negated(nlp: Language) -> None:
    sentence = "Smith did not voice support for the new trade agreement."
    event = coded(nlp, sentence, "voice", "support for the new trade agreement")
    assert event.type == "SUPPORT"
    assert event.negated


def test_a_call_without_for_is_no_request(nlp: Language) -> None:
    sentence = "Smith returned a call from the minister."
    assert coded(nlp, sentence, "returned", "a call from the minister").type is None


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        (
            "Smith asked for the documents to be released.",
            "asked",
            "for the documents to be released",
            "REQUEST",
        ),
        (
            "Smith wants the candidates to release their tax returns.",
            "wants",
            "the candidates to release their tax returns",
            "REQUEST",
        ),
        ("Smith wants to win the nomination.", "wants", "to win the nomination", None),
        ("Smith asked for anonymity.", "asked", "for anonymity", None),
    ],
)
def test_asking_for_and_wanting_someone_to_act_requests(
    nlp: Language, sentence: str, cue: str, content: str, expected: str | None
) -> None:
    assert coded(nlp, sentence, cue, content).type == expected


@pytest.mark.parametrize(
    ("sentence", "content", "expected"),
    [
        ('"Jones is a phony," Smith said.', "Jones is a phony", "ACCUSE"),
        (
            '"Jones is totally unfit for office," Smith said.',
            "Jones is totally unfit for office",
            "ACCUSE",
        ),
        ('"Jones is a genius," Smith said.', "Jones is a genius", "SUPPORT"),
    ],
)
def test_political_praise_and_blame_words_vader_lacks_are_evaluations(
    nlp: Language, sentence: str, content: str, expected: str
) -> None:
    assert coded(nlp, sentence, "said", content).type == expected


@pytest.mark.parametrize(
    ("cue", "lemma", "expected"),
    [("said", "say", "ACCUSE"), ("showed", "show", None), ("expected", "expect", None)],
)
def test_a_negative_stance_in_evidence_or_a_forecast_is_no_accusation(
    nlp: Language, cue: str, lemma: str, expected: str | None, rules_only: None
) -> None:
    gallup = Speaker(name="Gallup", mention=None, kind="organization", resolution="explicit")
    sentence = f"Gallup {cue} the senator in deep trouble with his own voters."
    assert senator_disliked(nlp, sentence, cue, lemma, gallup).type == expected


def senator_disliked(nlp: Language, sentence: str, cue: str, lemma: str, speaker: Speaker) -> Event:
    """Code ``sentence`` (its ``cue`` then "the senator ..." as the content, up to the full
    stop) with a strongly negative stance toward the senator: only the last-resort stance
    check can make it an event."""
    doc = nlp(sentence)
    start = sentence.index("the senator")
    cue_start = sentence.index(cue)
    senator = Target(
        name="the senator",
        kind="person",
        mentions=[Mention(text="the senator", start=start, end=start + 11)],
        stance=Stance(label="negative", score=-0.6),
    )
    return code_event(
        doc,
        Cue(text=cue, lemma=lemma, start=cue_start, end=cue_start + len(cue)),
        Content(text=sentence[start:-1], start=start, end=len(sentence) - 1),
        speaker,
        [senator],
    )


@pytest.mark.parametrize(
    ("sentence", "content", "expected"),
    [
        (
            "The ministry said it would impose sanctions on Iran.",
            "it would impose sanctions on Iran",
            "THREATEN",
        ),
        (
            "The mayor said anyone who breaks the curfew will be arrested.",
            "anyone who breaks the curfew will be arrested",
            "THREATEN",
        ),
        (
            "The ministry said it plans to expel the ambassador.",
            "it plans to expel the ambassador",
            "THREATEN",
        ),
        (
            "The ministry said it had expelled the ambassador.",
            "it had expelled the ambassador",
            "SANCTION",
        ),
    ],
)
def test_a_material_conflict_act_still_to_come_is_a_threat_and_a_done_one_is_the_act(
    nlp: Language, sentence: str, content: str, expected: str
) -> None:
    assert coded(nlp, sentence, "said", content).type == expected


def test_a_threat_phrase_threatens_whoever_its_subject(nlp: Language) -> None:
    sentence = "Smith said those responsible would face justice."
    assert coded(nlp, sentence, "said", "those responsible would face justice").type == ("THREATEN")


def test_a_blameworthy_act_in_the_passive_accuses(nlp: Language) -> None:
    sentence = "Smith said the election was rigged."
    assert coded(nlp, sentence, "said", "the election was rigged").type == "ACCUSE"


def test_a_nominal_cue_in_a_phrase_of_the_cue_verb_is_that_event(nlp: Language) -> None:
    sentence = "In a rebuke of the governor, Smith said the policy had failed."
    assert coded(nlp, sentence, "said", "the policy had failed").type == "ACCUSE"


def test_a_predicate_adjective_passes_to_the_verb_it_governs_with_its_negation(
    nlp: Language,
) -> None:
    sentence = "Smith said he was not ready to endorse Jones."
    event = coded(nlp, sentence, "said", "he was not ready to endorse Jones")
    assert (event.type, event.negated) == ("SUPPORT", True)


def test_the_speakers_own_country_as_subject_is_the_speakers_act(nlp: Language) -> None:
    sentence = "Smith said Germany would send aid to the refugees."
    doc = nlp(sentence)
    start = sentence.index("Germany")
    germany = Target(
        name="Germany",
        kind="country",
        country="DE",
        mentions=[Mention(text="Germany", start=start, end=start + 7)],
        stance=Stance(label="neutral", score=0.0),
    )
    content = Content(text=sentence[start:-1], start=start, end=len(sentence) - 1)
    cue = Cue(text="said", lemma="say", start=6, end=10)

    def speaker(country: str | None) -> Speaker:
        return Speaker(
            name="Smith", mention=None, kind="person", country=country, resolution="explicit"
        )

    assert code_event(doc, cue, content, speaker("DE"), [germany]).type == "AID"
    assert code_event(doc, cue, content, speaker("FR"), [germany]).type is None


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        ("Smith pushed back on the charges.", "pushed", "on the charges", "REJECT"),
        ("Smith pushed for new elections.", "pushed", "for new elections", "REQUEST"),
        (
            '"I take responsibility for the loss," Smith said.',
            "said",
            "I take responsibility for the loss",
            "CONCEDE",
        ),
        (
            "Smith said the senators had aided and abetted the fraud.",
            "said",
            "the senators had aided and abetted the fraud",
            "ACCUSE",
        ),
    ],
)
def test_pushing_back_rejects_and_taking_responsibility_concedes(
    nlp: Language, sentence: str, cue: str, content: str, expected: str
) -> None:
    assert coded(nlp, sentence, cue, content).type == expected


def test_a_name_parsed_as_the_object_of_a_naming_cue_is_read_for_its_sentiment(
    nlp: Language, rules_only: None
) -> None:
    insult = 'Smith calls his rivals "losers" and "sad."'
    assert coded(nlp, insult, "calls", 'his rivals "losers" and "sad').type == "ACCUSE"
    meeting = "Smith called a press conference on Monday."
    assert coded(nlp, meeting, "called", "a press conference on Monday").type is None


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        (
            '"So why didn\'t Jones pay his taxes?" Smith asked.',
            "asked",
            "So why didn't Jones pay his taxes?",
            "ACCUSE",
        ),
        (
            '"Why didn\'t we see this coming?" Smith asked.',
            "asked",
            "Why didn't we see this coming?",
            None,
        ),
        (
            "Smith explained why Jones won't attend the convention.",
            "explained",
            "why Jones won't attend the convention",
            None,
        ),
    ],
)
def test_a_direct_negated_why_question_about_another_reproaches(
    nlp: Language, sentence: str, cue: str, content: str, expected: str | None
) -> None:
    event = coded(nlp, sentence, cue, content)
    assert event.type == expected
    assert not event.negated


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        ("Smith cast Jones as a dangerous liar.", "cast", "Jones as a dangerous liar", "ACCUSE"),
        (
            "Smith painted a dire portrait of a corrupt, failing city.",
            "painted",
            "a dire portrait of a corrupt, failing city",
            "ACCUSE",
        ),
        (
            "Smith portrayed Jones as a great leader.",
            "portrayed",
            "Jones as a great leader",
            "SUPPORT",
        ),
        ("Smith savaged the budget plan.", "savaged", "the budget plan", "ACCUSE"),
        ("Smith painted the fence on Sunday.", "painted", "the fence on Sunday", None),
    ],
)
def test_portraying_cues_are_read_for_the_portraits_sentiment(
    nlp: Language, sentence: str, cue: str, content: str, expected: str | None
) -> None:
    assert coded(nlp, sentence, cue, content).type == expected
