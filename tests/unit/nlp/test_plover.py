"""PLOVER event coding: cue events, content-verb events, negation, plain statements staying None."""

from __future__ import annotations

from typing import get_args

import pytest
from spacy.language import Language

from stancewire.events import Content, Cue, EventType, Mention, Speaker, Stance, Target
from stancewire.nlp import Enricher
from stancewire.nlp.plover import code_event, mapping

# PLOVER's quad classes of its 16 types (openeventdata/PLOVER, POLECAT's 16-type form).
PLOVER_QUADS = {
    "verbal_cooperation": {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"},
    "material_cooperation": {"COOPERATE", "AID", "RETREAT"},
    "verbal_conflict": {"REQUEST", "ACCUSE", "REJECT", "THREATEN"},
    "material_conflict": {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"},
}


def speaker_named(name: str) -> Speaker:
    return Speaker(name=name, mention=None, kind="person", resolution="explicit")


def coded(
    nlp: Language, sentence: str, cue_word: str, content: str, speaker: str = "Smith"
) -> tuple[str | None, bool, float | None, str | None]:
    """Code ``sentence`` with the cue at ``cue_word`` and ``content`` (both substrings)."""
    doc = nlp(sentence)
    cue_start = sentence.index(cue_word)
    cue_span = doc.char_span(cue_start, cue_start + len(cue_word), alignment_mode="expand")
    assert cue_span is not None
    lemma = " ".join(t.lemma_ for t in cue_span)
    start = sentence.index(content)
    event = code_event(
        doc,
        Cue(text=cue_word, lemma=lemma, start=cue_start, end=cue_start + len(cue_word)),
        Content(text=content, start=start, end=start + len(content)),
        speaker_named(speaker),
    )
    return event.type, event.negated, event.intensity, event.quad


def test_mapping_has_every_plover_type_with_its_quad_and_a_bounded_intensity() -> None:
    table = mapping()
    assert set(table.types) == set(get_args(EventType))
    for quad, names in PLOVER_QUADS.items():
        assert {t for t, d in table.types.items() if d.quad == quad} == names
    assert all(-10 <= d.intensity <= 10 for d in table.types.values())
    cooperation = [d.intensity for d in table.types.values() if d.quad.endswith("cooperation")]
    conflict = [d.intensity for d in table.types.values() if d.quad.endswith("conflict")]
    assert min(cooperation) > max(conflict) - 0.01  # REQUEST (0) is the neutral border


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        (
            "Smith accused the mayor of lying about the budget.",
            "accused",
            "the mayor of lying",
            "ACCUSE",
        ),
        ("Smith blasted the new trade deal.", "blasted", "the new trade deal", "ACCUSE"),
        (
            "Smith criticized the governor's response.",
            "criticized",
            "the governor's response",
            "ACCUSE",
        ),
        (
            "Smith praised the negotiators for their patience.",
            "praised",
            "the negotiators",
            "SUPPORT",
        ),
        (
            "Smith endorsed Jones for the Senate seat.",
            "endorsed",
            "Jones for the Senate seat",
            "SUPPORT",
        ),
        ("Smith congratulated the new president.", "congratulated", "the new president", "SUPPORT"),
        ("Smith urged Congress to pass the bill.", "urged", "Congress to pass the bill", "REQUEST"),
        ("Smith called on Jones to resign.", "called", "Jones to resign", "REQUEST"),
        ("Smith rejected the proposal outright.", "rejected", "the proposal", "REJECT"),
        ("Smith denied the claims in a statement.", "denied", "the claims", "REJECT"),
        (
            "Smith pledged to cut taxes for families.",
            "pledged",
            "to cut taxes for families",
            "AGREE",
        ),
        ("Smith agreed to a new round of talks.", "agreed", "to a new round of talks", "AGREE"),
        ("Smith apologized to the voters.", "apologized", "to the voters", "CONCEDE"),
    ],
)
def test_a_cue_that_is_itself_the_event_gives_its_type(
    nlp: Language, sentence: str, cue: str, content: str, expected: str
) -> None:
    event_type, negated, intensity, quad = coded(nlp, sentence, cue, content)
    assert event_type == expected
    assert not negated
    assert intensity == mapping().types[expected].intensity
    assert quad == mapping().types[expected].quad


def test_a_warning_threatens_only_with_consequences_in_its_content(nlp: Language) -> None:
    threat = "Smith warned of serious consequences if the strikes continued."
    assert coded(nlp, threat, "warned", "of serious consequences if the strikes continued")[0] == (
        "THREATEN"
    )
    forecast = "Smith warned that growth could slow next year."
    assert coded(nlp, forecast, "warned", "growth could slow next year")[0] is None


def test_a_participle_cue_takes_its_governing_verbs_judgement(
    nlp: Language, rules_only: None
) -> None:
    """The rules' reading of a participle cue (the learned layer, off here, may still add an
    event from the content: "needs change" reads as criticism of the status quo)."""
    mock = "Smith mocked the proposal, saying it would never work."
    assert coded(nlp, mock, "saying", "it would never work")[0] == "ACCUSE"
    # a governing verb that is no judgement stays out ("offered", an AGREE cue)
    offer = "Smith offered himself as a candidate, saying the country needs change."
    assert coded(nlp, offer, "saying", "the country needs change")[0] is None


def test_a_name_is_read_without_the_reason_after_it(nlp: Language) -> None:
    praise = "Smith called him 'a genius' for his shady tax avoidance schemes."
    assert (
        coded(nlp, praise, "called", "him 'a genius' for his shady tax avoidance schemes")[0]
        == "SUPPORT"
    )
    blame = "Smith called him a friend of murderers and thieves."
    assert coded(nlp, blame, "called", "him a friend of murderers and thieves")[0] == "ACCUSE"


def test_threat_phrase_split_by_a_long_object_threatens(nlp: Language) -> None:
    sentence = '"The courts will hold the crooked landlords of this city accountable," Smith said.'
    content = "The courts will hold the crooked landlords of this city accountable"
    assert coded(nlp, sentence, "said", content)[0] == "THREATEN"
    # the phrase's word must be the verb's own dependent, not any word far along
    other = "Smith said the council will hold a long meeting on the accountable care rules."
    assert (
        coded(
            nlp, other, "said", "the council will hold a long meeting on the accountable care rules"
        )[0]
        != "THREATEN"
    )


def test_being_held_accountable_threatens(nlp: Language) -> None:
    sentence = "Smith said those responsible will be held accountable."
    assert (
        coded(nlp, sentence, "said", "those responsible will be held accountable")[0] == "THREATEN"
    )


def test_calling_something_a_name_is_no_request(nlp: Language) -> None:
    sentence = "Smith called the plan a mistake."
    assert coded(nlp, sentence, "called", "the plan a mistake")[0] != "REQUEST"


@pytest.mark.parametrize(
    ("sentence", "content", "expected"),
    [
        (
            "The ministry said it had imposed sanctions on Iran.",
            "it had imposed sanctions on Iran",
            "SANCTION",
        ),
        (
            "The ministry said it agreed to resume the talks.",
            "it agreed to resume the talks",
            "AGREE",
        ),
        (
            "Smith said he would resign at the end of the month.",
            "he would resign at the end of the month",
            "RETREAT",
        ),
        (
            "Smith said they will meet the delegation on Monday.",
            "they will meet the delegation on Monday",
            "CONSULT",
        ),
        (
            "The army said it had deployed troops to the border.",
            "it had deployed troops to the border",
            "MOBILIZE",
        ),
    ],
)
def test_a_plain_cue_takes_the_event_of_its_content_verb(
    nlp: Language, sentence: str, content: str, expected: str
) -> None:
    assert coded(nlp, sentence, "said", content, speaker="the ministry")[0] == expected


def test_someone_elses_act_in_the_content_is_not_the_speakers_event(nlp: Language) -> None:
    sentence = "Smith said Moscow would impose sanctions on Kyiv."
    assert coded(nlp, sentence, "said", "Moscow would impose sanctions on Kyiv")[0] is None


def test_an_intention_to_a_conflict_act_is_a_threat(nlp: Language) -> None:
    sentence = "Smith vowed to impose sanctions on the regime."
    assert coded(nlp, sentence, "vowed", "to impose sanctions on the regime")[0] == "THREATEN"


@pytest.mark.parametrize(
    ("sentence", "cue", "content", "expected"),
    [
        (
            "Smith did not accuse the mayor of anything.",
            "accuse",
            "the mayor of anything",
            "ACCUSE",
        ),
        ("Smith never endorsed Jones.", "endorsed", "Jones", "SUPPORT"),
        ("Smith refused to endorse Jones.", "refused", "to endorse Jones", "SUPPORT"),
        ("Smith declined to condemn the attack.", "declined", "to condemn the attack", "ACCUSE"),
        (
            "Smith said it had not imposed sanctions on Iran.",
            "said",
            "it had not imposed sanctions on Iran",
            "SANCTION",
        ),
    ],
)
def test_a_negated_event_keeps_its_type_and_scores_the_negated_intensity(
    nlp: Language, sentence: str, cue: str, content: str, expected: str
) -> None:
    event_type, negated, intensity, _ = coded(nlp, sentence, cue, content)
    assert (event_type, negated) == (expected, True)
    assert intensity == mapping().negated_intensity


@pytest.mark.parametrize(
    ("sentence", "cue", "content"),
    [
        ("Smith said the talks were long and tiring.", "said", "the talks were long and tiring"),
        (
            "Smith noted that turnout was higher than in 2012.",
            "noted",
            "turnout was higher than in 2012",
        ),
        ("Smith added that the vote would be close.", "added", "the vote would be close"),
        (
            "Smith asked for anonymity to discuss the talks.",
            "asked",
            "for anonymity to discuss the talks",
        ),
    ],
)
def test_a_plain_statement_is_no_event(
    nlp: Language, sentence: str, cue: str, content: str
) -> None:
    assert coded(nlp, sentence, cue, content) == (None, False, None, None)


def test_a_strongly_negative_stance_toward_another_target_is_an_accusation(nlp: Language) -> None:
    sentence = "Smith said the mayor was a disgrace to the city."
    doc = nlp(sentence)
    start = sentence.index("the mayor")
    content = Content(text=sentence[start:-1], start=start, end=len(sentence) - 1)
    cue = Cue(text="said", lemma="say", start=6, end=10)
    mayor = Target(
        name="the mayor",
        kind="person",
        mentions=[Mention(text="the mayor", start=start, end=start + 9)],
        stance=Stance(label="negative", score=-0.6),
    )
    assert code_event(doc, cue, content, speaker_named("Smith"), [mayor]).type == "ACCUSE"
    mild = mayor.model_copy(update={"stance": Stance(label="negative", score=-0.1)})
    assert code_event(doc, cue, content, speaker_named("Smith"), [mild]).type is None


def test_the_enricher_codes_every_statement(nlp: Language) -> None:
    body = (
        "The Kazakh president accused Moscow of meddling in the election. "
        "He said the weather in Astana was cold."
    )
    statements = Enricher(nlp).enrich(body)
    by_cue = {s.cue.lemma: s.event for s in statements}
    assert by_cue["accuse"].type == "ACCUSE"
    assert by_cue["accuse"].quad == "verbal_conflict"
    assert by_cue["say"].type is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Smith called the decision extremely careless.", "ACCUSE"),
        ("Smith called Jones a terrific guy.", "SUPPORT"),
        ("Smith called the meeting a routine one.", None),
    ],
)
def test_naming_something_takes_the_sentiment_of_the_name(
    nlp: Language, sentence: str, expected: str | None
) -> None:
    content = sentence[len("Smith called ") : -1]
    assert coded(nlp, sentence, "called", content)[0] == expected


def test_filing_a_lawsuit_accuses(nlp: Language) -> None:
    sentence = "Smith filed a wrongful death lawsuit against the company."
    content = "a wrongful death lawsuit against the company"
    assert coded(nlp, sentence, "filed", content)[0] == "ACCUSE"


def test_an_obligation_laid_on_a_named_actor_is_a_request(nlp: Language) -> None:
    demand = "Smith said the Democrats must consider new policies."
    assert coded(nlp, demand, "said", "the Democrats must consider new policies")[0] == "REQUEST"
    verdict = "Smith said the numbers should have been higher."
    assert coded(nlp, verdict, "said", "the numbers should have been higher")[0] is None


@pytest.mark.parametrize(
    ("sentence", "cue", "content"),
    [
        ("Smith conceded that turnout was low.", "conceded", "turnout was low"),
        ("Many voters call themselves conservative.", "call", "themselves conservative"),
        ("Smith agreed that the weather was bad.", "agreed", "the weather was bad"),
    ],
)
def test_an_opinion_with_an_event_verb_is_no_event(
    nlp: Language, rules_only: None, sentence: str, cue: str, content: str
) -> None:
    assert coded(nlp, sentence, cue, content)[0] is None


def coded_with_stance(
    nlp: Language, sentence: str, content: str, name: str, score: float | None
) -> str | None:
    """Code ``sentence`` (cue "said") with ``name`` as a target of stance ``score`` (None: no
    target)."""
    doc = nlp(sentence)
    start = sentence.index(content)
    cue_start = sentence.index("said")
    targets = []
    if score is not None:
        at = sentence.index(name)
        label = "negative" if score < 0 else "positive"
        mention = Mention(text=name, start=at, end=at + len(name))
        targets = [
            Target(
                name=name,
                kind="person",
                mentions=[mention],
                stance=Stance(label=label, score=score),
            )
        ]
    event = code_event(
        doc,
        Cue(text="said", lemma="say", start=cue_start, end=cue_start + 4),
        Content(text=content, start=start, end=start + len(content)),
        speaker_named("Smith"),
        targets,
    )
    return event.type


@pytest.mark.parametrize(
    ("content", "score", "expected"),
    [
        ("Hillary Clinton is a liar", None, "ACCUSE"),
        ("Hillary Clinton is a liar", -0.7, "ACCUSE"),
        ("Hillary Clinton is a liar", 0.5, None),  # the stance model disagrees: no event
        ("Hillary Clinton did a great job", None, "SUPPORT"),
        ("Hillary Clinton is in Paris", None, None),
        ("he is a great leader", None, None),  # the speaker about himself: no support
    ],
)
def test_an_evaluative_predicate_about_an_actor_accuses_or_supports(
    nlp: Language, rules_only: None, content: str, score: float | None, expected: str | None
) -> None:
    sentence = f"Smith said {content}."
    assert coded_with_stance(nlp, sentence, content, "Hillary Clinton", score) == expected


def test_needing_to_act_is_a_request_unless_hedged(nlp: Language) -> None:
    need = "Hillary Clinton needs to apologize"
    assert coded_with_stance(nlp, f"Smith said {need}.", need, "Hillary Clinton", None) == "REQUEST"
    has = "Hillary Clinton has to apologize"
    assert coded_with_stance(nlp, f"Smith said {has}.", has, "Hillary Clinton", None) == "REQUEST"
    hedged = "Hillary Clinton may have to leave"
    assert coded_with_stance(nlp, f"Smith said {hedged}.", hedged, "Hillary Clinton", None) is None
