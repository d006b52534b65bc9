"""The learned stance model's feature families that read the target's role: toward the
evaluative words above it ("ev:") and toward a verb of a contender's fortune ("fortune:")."""

from __future__ import annotations

import pytest
from spacy.language import Language

from stancewire.nlp.stance import features_toward


def names(
    nlp: Language, text: str, target: str, content: str = "", cue: str | None = None
) -> set[str]:
    start = text.index(target)
    context = (
        (text.index(content), text.index(content) + len(content)) if content else (0, len(text))
    )
    found = features_toward(nlp(text), [(start, start + len(target))], context, cue_lemma=cue)
    assert found is not None
    return {f.name for f in found}


def roles(found: set[str], family: str) -> set[str]:
    return {name for name in found if name.startswith(family)}


def test_the_criticised_object_and_the_patient_of_the_criticised_act_differ(nlp: Language) -> None:
    text = "Hillary Clinton criticized police officer Betty Shelby for shooting Terence Crutcher."
    content = "police officer Betty Shelby for shooting Terence Crutcher"
    shooter = names(nlp, text, "Betty Shelby", content, "criticize")
    shot = names(nlp, text, "Terence Crutcher", content, "criticize")
    assert "ev:obj:-" in shooter
    assert "ev:inpatient:-" in shot and "ev:inpatient:-" not in shooter
    assert "ev:obj:-" not in shot  # the cue's object is Shelby, not Crutcher


def test_the_cue_phrase_aimed_at_another_named_object_is_marked_so(nlp: Language) -> None:
    text = "Hillary Clinton criticized police officer Betty Shelby for shooting Terence Crutcher."
    content = "police officer Betty Shelby for shooting Terence Crutcher"
    shooter = names(nlp, text, "Betty Shelby", content, "criticize")
    shot = names(nlp, text, "Terence Crutcher", content, "criticize")
    assert "cw:criticize" in shooter and "cwx:criticize" not in shooter
    assert "cwx:criticize" in shot and "cw:criticize" not in shot


def test_the_agent_of_a_denounced_act_is_told_from_its_patient(nlp: Language) -> None:
    text = "The senator denounced the way Obama treated Netanyahu."
    assert roles(names(nlp, text, "Obama"), "ev:") == {"ev:inagent:-"}
    assert roles(names(nlp, text, "Netanyahu"), "ev:") == {"ev:inpatient:-"}


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("Donald can't win the nomination.", "Donald", "fortune:subj-"),
        ("Clinton leads Trump by 15 points in the state.", "Clinton", "fortune:subj+"),
        ("Clinton leads Trump by 15 points in the state.", "Trump", "fortune:obj-"),
        ("Clinton's support has steadily risen.", "Clinton", "fortune:own+"),
        ("Carson is losing a little support.", "Carson", "fortune:subj-"),
        ("Rubio is expected to win Florida.", "Rubio", "fortune:subj+"),
    ],
)
def test_a_contenders_fortune_is_read_without_a_polar_word(
    nlp: Language, text: str, target: str, expected: str
) -> None:
    assert roles(names(nlp, text, target), "fortune:") == {expected}


def test_a_target_that_does_not_contend_has_no_fortune(nlp: Language) -> None:
    assert roles(names(nlp, "Merkel met Macron in Paris.", "Macron"), "fortune:") == set()


def test_irony_and_scare_quotes_near_the_target_are_read(nlp: Language) -> None:
    assert "irony" in names(nlp, "The so-called reformer Kim spoke again.", "Kim")
    assert "irony" not in names(nlp, "The reformer Kim spoke again.", "Kim")
    quoted = 'Trump unveiled his "plan" for the border.'
    assert "scare_quote" in names(nlp, quoted, "Trump")
    assert "scare_quote" not in names(nlp, "Trump unveiled his plan for the border.", "Trump")


@pytest.mark.parametrize(
    ("text", "content", "verdict"),
    [
        ("Tokayev said Kazakhstan is not hostile toward Russia.", "Kazakhstan is", "rulec+"),
        ("Tokayev noted the absence of disputes with Russia.", "the absence of", "rulec+"),
        ("Tokayev said Kazakhstan supports Russia.", "Kazakhstan supports", "rule+"),
        ("Tokayev said Kazakhstan is hostile toward Russia.", "Kazakhstan is", "rule-"),
    ],
)
def test_a_positive_verdict_made_by_composition_is_marked_so(
    nlp: Language, text: str, content: str, verdict: str
) -> None:
    whole = text[text.index(content) : -1]
    found = roles(names(nlp, text, "Russia", whole, "say"), "rule")
    # a composed positive verdict is also a positive verdict; a plain one is not composed
    assert found == ({"rule+", "rulec+"} if verdict == "rulec+" else {verdict})


@pytest.mark.parametrize(
    ("text", "content", "target", "doer"),
    [
        ("Rubio said Ted is a supporter of amnesty.", "Ted is a supporter of amnesty", "Ted", True),
        ("Tokayev said Kazakhstan supports Russia.", "Kazakhstan supports Russia", "Russia", False),
        (
            "Tokayev said Kazakhstan supports Russia.",
            "Kazakhstan supports Russia",
            "Kazakhstan",
            True,
        ),
        (
            "Paul said Obama's endorsement came too late.",
            "Obama's endorsement came too late",
            "Obama",
            True,
        ),
        ("Paul said Christie endorsed Obama.", "Christie endorsed Obama", "Obama", False),
        (
            "A poll said Clinton has support from 52 percent.",
            "Clinton has support from 52 percent",
            "Clinton",
            True,
        ),
    ],
)
def test_the_doer_of_an_act_of_support_gets_no_positive_verdict_from_it(
    nlp: Language, text: str, content: str, target: str, doer: bool
) -> None:
    found = names(nlp, text, target, content, "say")
    # the supporter is not the one supported: its act leaves the verdict for "doer+"
    assert ("doer+" in found) is doer
    assert ("rule+" in found) is not doer


def test_a_sentence_without_a_cue_keeps_the_doer_in_the_verdict(nlp: Language) -> None:
    # NewsMTSC's sentences: there the doer of an act of support is as often positive as not
    found = names(nlp, "Kazakhstan supports Russia.", "Kazakhstan")
    assert "doer+" not in found and "rule+" in found
