"""Attribution rules counted on PolNeAR train's missed statements: a subject after an inverted
cue that the parser reads as its object, and a sentence opening with "In" and a poll."""

from __future__ import annotations

import pytest

from stancewire.events import Statement
from stancewire.nlp import Enricher, default_enricher
from stancewire.nlp.cues import load_lexicon, load_poll_frames


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return default_enricher()


def only(statements: list[Statement], cue: str) -> Statement:
    found = [s for s in statements if s.cue.text.lower() == cue]
    assert len(found) == 1, [s.cue.text for s in statements]
    return found[0]


def test_subject_after_an_inverted_cue_read_as_its_object_is_the_speaker(
    enricher: Enricher,
) -> None:
    body = '"It is the governor\'s seat to lose now," added a Florida Democrat.'
    statement = only(enricher.enrich(body), "added")
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text == "a Florida Democrat"
    assert statement.content.text == "It is the governor's seat to lose now"


def test_inverted_asker_is_the_speaker_and_the_question_the_content(enricher: Enricher) -> None:
    body = '"How tall is that fence going to be?" asked the girl, who wore a campaign hat.'
    statement = only(enricher.enrich(body), "asked")
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text == "the girl"
    # the object the parser found is who asked, not what was asked
    assert statement.content.text.startswith("How tall is that fence")


@pytest.mark.parametrize(
    "body",
    [
        "Don't blame Obama.",
        "He won over many voters through his campaign theme of questioning trade deals, "
        "aides said.",
    ],
)
def test_a_content_that_is_only_its_own_source_is_no_statement(
    enricher: Enricher, body: str
) -> None:
    # the parser reads the object as the subject too: "Obama" blamed "Obama"
    for statement in enricher.enrich(body):
        mention = statement.speaker.mention
        assert mention is None or statement.content.text != mention.text
    assert [s.cue.text for s in enricher.enrich(body)] in ([], ["said"])


@pytest.mark.parametrize(
    ("body", "source", "content"),
    [
        (
            "In a Quinnipiac University poll released Tuesday, Mr. Sanders led Mrs. Clinton "
            "by six points.",
            "a Quinnipiac University poll",
            "Mr. Sanders led Mrs. Clinton by six points",
        ),
        (
            "In the latest CNN/ORC survey, Trump holds a 10-point lead over Cruz among "
            "Republicans.",
            "the latest CNN/ORC survey",
            "Trump holds a 10-point lead over Cruz among Republicans",
        ),
    ],
)
def test_a_sentence_opening_with_in_and_a_poll_reports_what_it_found(
    enricher: Enricher, body: str, source: str, content: str
) -> None:
    statement = only(enricher.enrich(body), "in")
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text == source
    assert statement.content.text == content


@pytest.mark.parametrize(
    "body",
    [
        # "in the polls" inside a sentence: 39 of 196 such uses in PolNeAR train are cues
        "Clinton trails Sanders in the New Hampshire polls, and her aides are worried.",
        # no comma after the poll phrase: 1 of 6
        "In the polls she is now far ahead of him.",
        # a poll that is no survey of opinion
        "In a statement released Tuesday, the senator's office declined to comment further.",
    ],
)
def test_a_poll_inside_the_sentence_or_without_a_comma_is_no_cue(
    enricher: Enricher, body: str
) -> None:
    assert [s for s in enricher.enrich(body) if s.cue.text.lower() == "in"] == []


def test_poll_nouns_make_a_sentence_worth_parsing() -> None:
    frames = load_poll_frames()
    assert {"poll", "polls", "survey", "surveys"} <= frames.forms
    assert frames.forms <= load_lexicon(0.1).forms


@pytest.mark.parametrize(
    ("body", "source", "content"),
    [
        (
            "Governor Baker was pressed on the budget at the hearing and said that taxes "
            "would not rise.",
            "Governor Baker",
            "that taxes would not rise",
        ),
        (
            "The senator was asked about the deal and said he had not read it.",
            "The senator",
            "he had not read it",
        ),
    ],
)
def test_a_cue_coordinated_with_a_passive_shares_its_subject(
    enricher: Enricher, body: str, source: str, content: str
) -> None:
    statement = only(enricher.enrich(body), "said")
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text == source
    assert statement.content.text == content


def test_a_name_with_an_apposition_before_the_cue_speaks_when_the_parse_hangs_it_elsewhere(
    enricher: Enricher,
) -> None:
    # the parser reads "Nevada, Senator Harry Reid" as a conjunction: "said" has no subject
    body = (
        "Alarmed by the unrest in Nevada, Senator Harry Reid, the minority leader, said that "
        "he spoke with Mr. Lopez on Tuesday."
    )
    statement = only(enricher.enrich(body), "said")
    assert statement.speaker.name == "Harry Reid"
    assert statement.content.text == "that he spoke with Mr. Lopez on Tuesday"


@pytest.mark.parametrize(
    ("body", "cue", "source", "content"),
    [
        (
            "As the paper noted, it is surprising because Mr. Lopez has not always had good "
            "things to say about China.",
            "noted",
            "the paper",
            "it is surprising because Mr. Lopez has not always had good things to say about China",
        ),
        (
            "As reported by the Tribune, the governor was told about the leak in March.",
            "reported",
            "the Tribune",
            "the governor was told about the leak in March",
        ),
        (
            "But as one aide put it, the campaign has no money left for television.",
            "put",
            "one aide",
            "the campaign has no money left for television",
        ),
    ],
)
def test_an_as_aside_reports_the_clause_it_comments_on(
    enricher: Enricher, body: str, cue: str, source: str, content: str
) -> None:
    statement = only(enricher.enrich(body), cue)
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text == source
    assert statement.content.text == content


def test_an_as_clause_of_time_is_no_cue(enricher: Enricher) -> None:
    body = "As the storm approached, officials said the roads would close."
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text == "the roads would close"
    assert [s.cue.text for s in enricher.enrich(body)] == ["said"]


@pytest.mark.parametrize(
    ("body", "cue", "source", "content"),
    [
        (
            "Ms. Lopez made it clear that she has serious concerns about the bill.",
            "made it clear",
            "Ms. Lopez",
            "that she has serious concerns about the bill",
        ),
        (
            "Mr. Obama made clear over the weekend that the meetings have an impact.",
            "made clear",
            "Mr. Obama",
            "that the meetings have an impact",
        ),
    ],
)
def test_made_it_clear_is_a_cue(
    enricher: Enricher, body: str, cue: str, source: str, content: str
) -> None:
    statement = only(enricher.enrich(body), cue)
    assert statement.cue.lemma == "make clear"
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text == source
    assert statement.content.text == content


def test_made_it_clear_inside_a_quotation_is_no_cue(enricher: Enricher) -> None:
    # quoted uses are no gold cue in PolNeAR train (0 of 8); the quotation's own cue is
    body = '"He made it clear that there was terrorist involvement," the general said.'
    assert [s.cue.text for s in enricher.enrich(body)] == ["said"]


def test_a_subject_read_as_a_compound_of_the_cue_is_its_source(enricher: Enricher) -> None:
    body = "The Cessna has flown roughly 216 hours in that stretch, F.A.A. records show."
    statement = only(enricher.enrich(body), "show")
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text == "F.A.A. records"
    assert statement.content.text == "The Cessna has flown roughly 216 hours in that stretch"


@pytest.mark.parametrize(
    ("body", "cue", "starts"),
    [
        (
            '"This is a big year for our next senator, Bobby Lopez!" his niece shouted to '
            "the crowd.",
            "shouted",
            "This is a big year",
        ),
        (
            'The governor spoke after the vote. "Look at how much these towns are '
            'suffering," he said in August. "To those voters I say: what do you have to lose?"',
            "said",
            "Look at how much",
        ),
    ],
)
def test_a_quotation_next_to_the_cue_is_the_content_not_where_it_was_said(
    enricher: Enricher, body: str, cue: str, starts: str
) -> None:
    statement = only(enricher.enrich(body), cue)
    assert statement.content.text.startswith(starts)


def test_a_setting_phrase_without_a_quotation_stays_unscored_as_before(
    enricher: Enricher,
) -> None:
    assert enricher.enrich("The campaign did not respond to requests for comment.") == []


def test_a_trailing_aside_with_quoted_words_stays_in_the_content(enricher: Enricher) -> None:
    quoted = (
        'Sanders said Sunday that he was hoping for a large turnout, which "will help elect '
        'Maria Lopez to the Supreme Court."'
    )
    statement = only(enricher.enrich(quoted), "said")
    assert "will help elect Maria Lopez" in statement.content.text
    assert "Maria Lopez" in [t.name for t in statement.targets]
    plain = (
        "Sanders said Sunday that he was hoping for a large turnout, which would be the "
        "largest since 2008."
    )
    # the writer's own comment is still cut
    assert only(enricher.enrich(plain), "said").content.text == (
        "that he was hoping for a large turnout"
    )


@pytest.mark.parametrize(
    ("body", "cue"),
    [
        (
            'Mitt Romney tweeted in response: "Thug Putin kills journalists and opponents."',
            "tweeted",
        ),
        (
            'Mr. Cruz mocked the talk, saying at one point, "The answer is not to yell at China."',
            "saying",
        ),
    ],
)
def test_quotation_after_the_setting_of_the_cue_is_the_content(
    enricher: Enricher, body: str, cue: str
) -> None:
    statement = only(enricher.enrich(body), cue)
    quoted = body[body.index('"') + 1 : body.rindex('"')].rstrip(".")
    assert statement.content.text.rstrip(".") == quoted


def test_quotation_in_the_next_sentence_is_not_the_content_of_a_setting(
    enricher: Enricher,
) -> None:
    body = 'Ms. Lee spoke in the hall on Monday. "We will win," a supporter said.'
    statements = enricher.enrich(body)
    assert all("We will win" not in s.content.text for s in statements if s.cue.text == "spoke")


def test_clause_before_a_cue_the_parser_hung_on_it_is_the_content(enricher: Enricher) -> None:
    body = (
        "Hillary Clinton thinks the federal government requires too many tests for school "
        "children, former President Bill Clinton said this week at an event in Wyoming."
    )
    statement = only(enricher.enrich(body), "said")
    assert statement.speaker.name == "Bill Clinton"
    assert statement.content.text.startswith("Hillary Clinton thinks the federal government")
    assert statement.content.text.endswith("school children")
    assert [t.name for t in statement.targets if t.kind == "person"] == ["Hillary Clinton"]
