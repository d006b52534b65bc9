"""Attribution: cues, contents and source mentions, direct, indirect and mixed statements."""

from __future__ import annotations

import pytest

from stancewire.events import Statement
from stancewire.nlp import Enricher, default_enricher
from stancewire.nlp.cues import load_evidence_cues, load_lexicon
from stancewire.nlp.text import find_quotes, normalise, split_sentences


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return default_enricher()


def only(statements: list[Statement], cue: str) -> Statement:
    found = [s for s in statements if s.cue.text.lower().startswith(cue)]
    assert len(found) == 1, [s.cue.text for s in statements]
    return found[0]


def test_indirect_statement_has_cue_content_and_speaker(enricher: Enricher) -> None:
    body = "Finance Minister Maria Lopez said on Tuesday that the budget would be balanced."
    statement = only(enricher.enrich(body), "said")
    assert statement.kind == "indirect"
    assert statement.cue.lemma == "say"
    assert "the budget would be balanced" in statement.content.text
    assert statement.speaker.mention is not None
    assert "Maria Lopez" in statement.speaker.mention.text
    assert statement.speaker.name == "Maria Lopez"
    assert statement.text == body


def test_direct_quote_with_speaker_after_it(enricher: Enricher) -> None:
    body = '"We will not raise taxes this year," said Governor Tom Baker.'
    statement = only(enricher.enrich(body), "said")
    assert statement.kind == "direct"
    assert statement.content.text == "We will not raise taxes this year"
    assert statement.speaker.name == "Tom Baker"


def test_quote_running_over_two_sentences_is_one_content(enricher: Enricher) -> None:
    body = (
        'Mayor Ellen Park spoke after the vote. "The bridge will open in May. '
        'It will cost less than planned," Park told reporters.'
    )
    statement = only(enricher.enrich(body), "told")
    assert statement.kind == "direct"
    assert statement.content.text.startswith("The bridge will open in May.")
    assert statement.content.text.endswith("cost less than planned")
    assert statement.speaker.name == "Ellen Park"
    assert statement.span.start <= body.index('"The bridge')


def test_quote_continued_in_the_next_paragraph_is_one_content(enricher: Enricher) -> None:
    body = (
        'Senator Ruth Miller spoke for an hour. "We have waited long enough for this law.\n'
        '"Nobody in this state should wait any longer," Miller said.'
    )
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text.startswith("We have waited long enough")
    assert statement.content.text.endswith("wait any longer")
    assert statement.kind == "direct"


def test_mixed_statement_quotes_part_of_the_content(enricher: Enricher) -> None:
    body = 'Opposition leader Karl Weber said the plan was "a disaster for every family."'
    statement = only(enricher.enrich(body), "said")
    assert statement.kind == "mixed"
    assert "a disaster for every family" in statement.content.text
    assert statement.content.text.startswith("the plan was")


def test_according_to_names_the_source(enricher: Enricher) -> None:
    body = "Exports fell by 4 percent last year, according to the national statistics office."
    statement = only(enricher.enrich(body), "according to")
    assert statement.cue.text == "according to"
    assert statement.content.text == "Exports fell by 4 percent last year"
    assert statement.speaker.mention is not None
    assert "statistics office" in statement.speaker.mention.text


@pytest.mark.parametrize("verb", ["emphasized", "underscored", "reiterated", "stressed"])
def test_wire_service_verbs_are_cues(enricher: Enricher, verb: str) -> None:
    body = f"Prime Minister Anna Berg {verb} that the coalition would stay united."
    statement = only(enricher.enrich(body), verb)
    assert "the coalition would stay united" in statement.content.text


def test_belief_cue_with_a_named_source(enricher: Enricher) -> None:
    body = "Most economists expect that interest rates will rise again in the spring."
    statement = only(enricher.enrich(body), "expect")
    assert "interest rates will rise" in statement.content.text
    assert statement.speaker.kind == "group"


def test_participle_cue_inherits_the_subject(enricher: Enricher) -> None:
    body = (
        "Defense Secretary John Hall rejected the report, "
        "noting that the figures were two years old."
    )
    statement = only(enricher.enrich(body), "noting")
    assert statement.speaker.name == "John Hall"
    assert "the figures were two years old" in statement.content.text


def test_transcript_speaker_before_a_colon(enricher: Enricher) -> None:
    body = "HOST: Welcome back to the program.\nGARCIA: Thank you, it is good to be here."
    statements = enricher.enrich(body)
    garcia = [s for s in statements if s.speaker.mention and s.speaker.mention.text == "GARCIA"]
    assert len(garcia) == 1
    assert garcia[0].cue.text == ":"
    assert garcia[0].content.text == "Thank you, it is good to be here"


def test_sentence_without_a_cue_gives_no_statement(enricher: Enricher) -> None:
    assert enricher.enrich("The bridge over the river was closed for repairs on Monday.") == []


def test_lexicon_holds_issue_cues_and_their_forms() -> None:
    lexicon = load_lexicon()
    for lemma in ("say", "tell", "warn", "emphasize", "underscore", "reiterate", "forecast"):
        assert lexicon.score(lemma, "VERB") > 0.3, lemma
    assert {"said", "underscored", "forecast", "reaffirms"} <= lexicon.forms


def test_normalise_keeps_length_and_straightens_quotes() -> None:
    body = "“Yes,”\u00a0she said <b>today</b> &amp; ‘then’."
    text = normalise(body)
    assert len(text) == len(body)
    assert text.startswith('"Yes," she said')
    assert "<b>" not in text and "&amp;" not in text
    assert "'then'" in text


def test_sentence_splitter_keeps_abbreviations_and_initials() -> None:
    text = "Sen. John A. Smith of the U.S. spoke. He left at 5 p.m. Then it rained."
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences[0] == "Sen. John A. Smith of the U.S. spoke."
    assert sentences[-1] == "Then it rained."


def test_unclosed_quote_closes_at_the_paragraph_end() -> None:
    text = 'He said "this never ends\nNext paragraph here.'
    assert find_quotes(text) == [(8, 24)]


def test_quotation_carrying_on_after_its_cue_joins_the_content(enricher: Enricher) -> None:
    body = (
        '"We will win this fight," Senator Ada Moss said on Monday. '
        '"They know it and we know it."\nThe vote is next week.'
    )
    statement = only(enricher.enrich(body), "said")
    assert statement.kind == "direct"
    assert statement.content.text.startswith("We will win this fight")
    assert statement.content.text.endswith("we know it")


def test_quotation_with_its_own_cue_is_not_joined(enricher: Enricher) -> None:
    body = '"We will win," Senator Ada Moss said. "Not this year," her rival Tom Reyes replied.'
    statements = enricher.enrich(body)
    said = only(statements, "said")
    assert said.content.text == "We will win"
    assert only(statements, "replied").content.text == "Not this year"


def test_sourceless_passive_is_not_a_statement(enricher: Enricher) -> None:
    body = "The relationship is described as rooted in mutual history and geography."
    assert enricher.enrich(body) == []


def test_content_stops_before_a_coordinated_clause_with_its_own_speaker(
    enricher: Enricher,
) -> None:
    body = (
        "Some analysts believe the new tariffs are counterproductive, and union leaders "
        "accused the ministry of ignoring workers."
    )
    statements = enricher.enrich(body)
    believe = only(statements, "believe")
    assert believe.content.text.rstrip(" ,") == "the new tariffs are counterproductive"
    accused = only(statements, "accused")
    assert accused.speaker.name.lower() == "union leaders"


def test_coordinated_clause_without_a_cue_stays_in_the_content(enricher: Enricher) -> None:
    body = "The minister said prices would rise and wages would fall."
    content = only(enricher.enrich(body), "said").content.text
    assert content.endswith("wages would fall")


def test_two_apostrophes_are_a_double_quote() -> None:
    body = "''It is all lies,'' Mr. Putin said. ''We know it.''"
    text = normalise(body)
    assert len(text) == len(body)
    assert [text[s:e] for s, e in find_quotes(text)] == ['"It is all lies,"', '"We know it."']


def test_quotation_in_two_apostrophes_is_the_content(enricher: Enricher) -> None:
    body = "''The atmosphere is relaxed, a healthy place,'' said Antonio Arroyo, a worker."
    statement = only(enricher.enrich(body), "said")
    assert statement.kind == "direct"
    assert statement.content.text == "The atmosphere is relaxed, a healthy place"
    assert statement.speaker.name == "Antonio Arroyo"


def test_words_after_the_cue_stay_out_of_a_quotation_given_first(enricher: Enricher) -> None:
    body = '"She just made it up," he said of the claim during a call to ABC\'s "This Week."'
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text == "She just made it up"


def test_a_quoted_title_after_the_cue_is_not_a_continued_quotation(enricher: Enricher) -> None:
    body = '"We will release our records," Sanders said on CNN\'s "State of the Union."'
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text == "We will release our records"


def test_quotation_after_the_rest_of_the_cue_sentence_continues_it(enricher: Enricher) -> None:
    body = (
        '"Ted Cruz is not my favorite by any means," Graham, a former candidate, told CBS News '
        "on Super Tuesday, when a dozen states held contests to choose party nominees. "
        '"But rallying around Ted Cruz may be the only way to stop Donald Trump."'
    )
    statement = only(enricher.enrich(body), "told")
    assert statement.content.text.startswith("Ted Cruz is not my favorite")
    assert statement.content.text.endswith("the only way to stop Donald Trump")


def test_according_to_parsed_as_the_verb_keeps_its_subject_as_content(enricher: Enricher) -> None:
    body = "That's according to fundraising reports that the Sanders campaign filed on Saturday."
    statement = only(enricher.enrich(body), "according")
    assert statement.cue.text == "according to"
    assert statement.content.text == "That"
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text == "fundraising reports"


def test_quotation_paragraph_after_the_cue_carries_the_statement_on(enricher: Enricher) -> None:
    body = (
        '"We need real change," Senator Ruth Miller said.\n\n'
        '"But not the change Viktor Orban offers his country."\n\n'
        "The vote is on Friday."
    )
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text.startswith("We need real change")
    assert statement.content.text.endswith("offers his country")
    assert "Viktor Orban" in [t.name for t in statement.targets]


def test_quotation_paragraph_with_its_own_cue_is_not_carried_on(enricher: Enricher) -> None:
    body = (
        '"We need real change," Senator Ruth Miller said.\n\n'
        '"Not this change," Governor Tom Baker said.'
    )
    statements = enricher.enrich(body)
    first = next(s for s in statements if s.speaker.name == "Ruth Miller")
    assert first.content.text == "We need real change"


def test_indirect_content_is_not_carried_on_into_a_quotation_paragraph(
    enricher: Enricher,
) -> None:
    body = 'Senator Ruth Miller said the plan would fail.\n\n"It never had a chance."'
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text == "the plan would fail"


def test_content_introducing_a_quotation_paragraph_runs_on_into_it(enricher: Enricher) -> None:
    body = (
        "Senator Ruth Miller said that of all the candidates:\n\n"
        '"There is only one who can beat Donald Trump."'
    )
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text.endswith("who can beat Donald Trump")
    assert "Donald Trump" in [t.name for t in statement.targets]


def test_quotation_after_a_conjunction_continues_the_statement(enricher: Enricher) -> None:
    body = (
        "\"I don't think it's do or die,\" Ruth Miller said outside the building. "
        'But "Donald Trump\'s candidacy is strengthened with an endorsement."'
    )
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text.endswith("strengthened with an endorsement")


def test_quotation_after_a_quoted_show_title_continues_the_statement(enricher: Enricher) -> None:
    body = (
        '"We will release our records," Sanders said on CNN\'s "State of the Union" Sunday. '
        '"Secretary Clinton has released hers."'
    )
    statement = only(enricher.enrich(body), "said")
    assert statement.content.text.endswith("has released hers")


def test_called_for_someone_to_act_is_the_content(enricher: Enricher) -> None:
    body = (
        "The vote comes as her Republican rivals have called for Clinton to be prosecuted "
        "over her emails."
    )
    statement = only(enricher.enrich(body), "called")
    assert statement.content.text.startswith("for Clinton to be prosecuted")
    assert "Clinton" in [t.name for t in statement.targets]


def test_a_quotation_in_the_paragraph_before_is_not_the_cue_content(enricher: Enricher) -> None:
    body = (
        '"The agencies have a problem."\n\n'
        "Donald Trump, interviewed on Monday, called again for President Obama to resign."
    )
    statement = only(enricher.enrich(body), "called")
    assert "Obama to resign" in statement.content.text
    assert "agencies" not in statement.content.text


def test_a_headline_name_tagged_as_a_noun_still_speaks_before_its_colon(
    enricher: Enricher,
) -> None:
    body = "Trump: Clinton should have congratulated me for making history.\n\nMore text here."
    statements = [s for s in enricher.enrich(body) if s.cue.text == ":"]
    assert len(statements) == 1
    assert statements[0].speaker.name == "Trump"
    assert statements[0].content.text.startswith("Clinton should have congratulated me")


def test_a_poll_that_shows_someone_ahead_is_a_statement(enricher: Enricher) -> None:
    body = "Many other polls show Mrs. Clinton with a narrow but consistent lead over Mr. Trump."
    statement = only(enricher.enrich(body), "show")
    assert statement.content.text == "Mrs. Clinton with a narrow but consistent lead over Mr. Trump"
    assert statement.speaker.mention is not None
    assert statement.speaker.mention.text.endswith("polls")


def test_show_with_a_subject_that_reports_nothing_is_no_evidence_cue() -> None:
    cues = load_evidence_cues()
    assert cues.prior("show", "poll") == cues.reliability > 0.5
    assert cues.prior("Find", "Survey") == cues.reliability
    assert cues.prior("found", "survey") == 0.0  # the verb's lemma, not a form
    assert cues.prior("show", "data") == 0.0
    assert cues.prior("say", "poll") == 0.0
    assert cues.prior("show", None) == 0.0


def test_the_hearer_of_told_is_no_content_when_a_quotation_is_next_to_it(
    enricher: Enricher,
) -> None:
    body = (
        "Clinton spoke on Monday.\n\n"
        '"I think voters will look at the full picture. And at the threat that Donald Trump '
        'poses," Clinton told ABC News. "I have confidence in them."'
    )
    statement = only(enricher.enrich(body), "told")
    assert statement.content.text.startswith("I think voters will look at the full picture")
    assert "Donald Trump" in [t.name for t in statement.targets]


def test_a_participle_after_said_is_the_manner_not_what_was_said(enricher: Enricher) -> None:
    body = (
        '"It is like we are a bridge," Franken said. "Well you were for Bernie and I am for '
        'Hillary so we are like a bridge over troubled..." he said, not finishing his joke.'
    )
    contents = [s.content.text for s in enricher.enrich(body)]
    assert not any(c.startswith("not finishing") for c in contents), contents
    assert any(c.startswith("Well you were for Bernie") for c in contents), contents


def test_a_content_stopping_at_a_colon_takes_the_list_after_it(enricher: Enricher) -> None:
    body = (
        "Hillary failed to mention the attack in Benghazi that resulted in the death of four "
        "Americans: Ambassador Chris Stevens, Sean Smith, Tyrone Woods and Glen Doherty."
    )
    statement = only(enricher.enrich(body), "mention")
    assert statement.content.text.endswith("Tyrone Woods and Glen Doherty")
    body = 'He said: "We will win."'
    assert only(enricher.enrich(body), "said").content.text == "We will win"
