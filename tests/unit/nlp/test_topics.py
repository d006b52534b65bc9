"""Topic taxonomy and assignment: closed ids, mappings, stemmed evidence, placement weights."""

from __future__ import annotations

import re
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stancewire.events import TopicId
from stancewire.nlp.topic_words import is_international, named_arguments, possessed
from stancewire.nlp.topics import assign_topics, taxonomy

# PLOVER's contexts (openeventdata/PLOVER), the only values the taxonomy may map to.
PLOVER_CONTEXTS = {
    "diplomatic",
    "economic",
    "military",
    "territory",
    "rights_freedoms",
    "misinformation",
    "human_security",
    "migration",
    "asylum",
    "cyber",
    "terrorism",
    "election",
    "legal",
    "crime",
    "corruption",
    "health",
    "environment",
    "technology",
    "natural_resource",
}


def topic_ids(sentence: str, paragraph: str | None = None, content: str | None = None) -> set[str]:
    paragraph = sentence if paragraph is None else paragraph
    content = sentence if content is None else content
    return {t.id for t in assign_topics(sentence, paragraph, content)}


def test_taxonomy_has_exactly_the_contract_ids() -> None:
    assert [t.id for t in taxonomy()] == list(get_args(TopicId))


def test_every_topic_is_defined_and_mapped() -> None:
    for topic in taxonomy():
        assert topic.definition and "\n" not in topic.definition
        assert topic.plover and set(topic.plover) <= PLOVER_CONTEXTS
        assert re.fullmatch(r"medtop:\d{8}", topic.iptc_code)
        assert topic.iptc_label
        assert len(topic.terms) >= 5


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kazakhstan does not supply sanctioned goods to Russia.", "sanctions"),
        ("The new sanctions on Iran will hit its banking sector.", "sanctions"),
        ("The country has no territorial claims on its neighbours.", "borders"),
        ("They share the world's longest border.", "borders"),
        ("Astana values its cooperation with Moscow.", "diplomacy"),
        ("Both countries want stronger ties.", "diplomacy"),
        ("He called for dialogue between the two capitals.", "diplomacy"),
        ("Exports of grain rose and tariffs were cut.", "trade"),
        ("Gas deliveries through the pipeline resumed.", "energy"),
        (
            "Troops were moved closer to the frontline as the military buildup continued.",
            "security",
        ),
        ("Foreign journalists were expelled and the media censored.", "media"),
        ("The agency delivered humanitarian aid to civilians.", "humanitarian"),
        ("Thousands of migrants applied for asylum.", "migration"),
        ("Hackers launched a cyberattack on the ministry's servers.", "cyber"),
        ("Militants claimed responsibility for the terrorist attack.", "terrorism"),
        ("Voters went to the polls in the presidential election.", "elections"),
        (
            "The government announced a reform of the civil service to fight corruption.",
            "governance",
        ),
        ("The court ruled that the law was unconstitutional.", "law"),
        ("Activists said human rights and press freedom were under attack.", "rights"),
        ("Hospitals struggled as the pandemic spread and vaccines ran short.", "health"),
        ("Emissions must fall to slow climate change.", "environment"),
        (
            "The firm will build a semiconductor plant and invest in artificial intelligence.",
            "technology",
        ),
        ("Inflation slowed and economic growth picked up.", "economy"),
    ],
)
def test_each_topic_is_found_from_varied_wording(sentence: str, expected: str) -> None:
    assert expected in topic_ids(sentence)


def test_no_topic_without_evidence() -> None:
    assert (
        assign_topics("He said he would arrive on Tuesday.", "He said so.", "he would arrive") == []
    )
    assert assign_topics("", "", "") == []


def test_evidence_words_come_from_the_statement_texts() -> None:
    sentence = "Tokayev pointed to cooperation with Moscow in trade and humanitarian aid."
    paragraph = "Earlier he spoke about sanctions and restrictions. " + sentence
    texts = " ".join((sentence, paragraph)).lower().replace("-", " ")
    topics = assign_topics(sentence, paragraph, "cooperation with Moscow in trade and aid")
    assert {"trade", "diplomacy"} <= {t.id for t in topics}
    for topic in topics:
        assert topic.evidence
        for words in topic.evidence:
            assert words in texts


def test_content_weighs_more_than_the_paragraph() -> None:
    paragraph_only = assign_topics(
        "He spoke on Monday.", "He spoke on Monday. The embargo was discussed.", "he spoke"
    )
    in_content = assign_topics(
        "The embargo was discussed.", "The embargo was discussed.", "the embargo"
    )
    assert "sanctions" not in {t.id for t in paragraph_only}
    assert [t.id for t in in_content] == ["sanctions"]


SANCTIONS_PARAGRAPH = "The talks covered sanctions, an embargo on arms and export controls. "


def test_the_paragraph_alone_never_makes_a_topic() -> None:
    paragraph = SANCTIONS_PARAGRAPH + "He said the meeting went well."
    assert "sanctions" not in topic_ids(
        "He said the meeting went well.", paragraph, "the meeting went well"
    )


def test_the_paragraph_strengthens_a_topic_the_statement_touches() -> None:
    sentence = "He said the embargo would stay."
    content = "the embargo would stay"

    def score(paragraph: str) -> float:
        return next(t.score for t in assign_topics(sentence, paragraph, content))

    assert score(SANCTIONS_PARAGRAPH + sentence) > score(sentence)


def test_the_paragraph_does_not_make_ambiguous_content_a_topic() -> None:
    # "restrictions" is weak evidence: sanctions words around it add weight, never a topic
    sentence = "He said the restrictions would stay."
    content = "the restrictions would stay"
    assert "sanctions" not in topic_ids(sentence, SANCTIONS_PARAGRAPH + sentence, content)


def test_a_statement_carries_at_most_three_topics_strongest_first() -> None:
    content = (
        "sanctions on oil and gas exports, the war at the border, the election campaign, "
        "refugees and migrants, journalists and censorship, and the pandemic"
    )
    every = assign_topics(content, content, content)
    assert len(every) == 3
    assert [t.score for t in every] == sorted((t.score for t in every), reverse=True)
    # the three kept are the strongest: dropping the others' evidence does not change them
    weaker = assign_topics("", "", "the election campaign and the pandemic")
    assert all(t.score <= every[-1].score for t in weaker)


def test_one_word_in_the_speaker_frame_is_not_enough() -> None:
    sentence = "Speaking after the election, the minister said prices would fall."
    assert "elections" not in topic_ids(sentence, sentence, "prices would fall")
    assert "elections" in topic_ids(sentence, sentence, "the election was fair")


def test_scores_are_probabilities_sorted_high_to_low() -> None:
    topics = assign_topics(
        "Sanctions on oil exports hurt the economy, the minister said at the border.",
        "Sanctions on oil exports hurt the economy.",
        "Sanctions on oil exports hurt the economy",
    )
    scores = [t.score for t in topics]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)


def test_a_word_counts_once_however_it_is_split() -> None:
    # "cross-border" is one piece of evidence, not "cross", "border" and "cross border"
    topics = {t.id: t for t in assign_topics("Cross-border trips resumed.", "", "")}
    assert "borders" in topics
    assert len(topics["borders"].evidence) == 1


@given(st.text(max_size=300), st.text(max_size=300), st.text(max_size=100))
def test_any_text_gives_valid_topics(sentence: str, paragraph: str, content: str) -> None:
    topics = assign_topics(sentence, paragraph, content)
    assert len({t.id for t in topics}) == len(topics)
    for topic in topics:
        assert topic.evidence
        assert 0.0 <= topic.score <= 1.0


def test_a_phrase_counts_only_with_its_words_together_and_in_order() -> None:
    together = {t.id: t for t in assign_topics("", "", "regional security improved")}
    apart = {t.id: t for t in assign_topics("", "", "regional talks covered security")}
    assert "regional security" in together["security"].evidence
    assert all("regional security" not in t.evidence for t in apart.values())


def test_statements_sharing_a_long_paragraph_get_their_own_topics() -> None:
    filler = "The delegates met again on Tuesday and talked for many hours. " * 200
    paragraph = filler + "She said the embargo would stay. He said the election was fair."
    sanctions = "the embargo would stay"
    election = "the election was fair"
    first = assign_topics(f"She said {sanctions}.", paragraph, sanctions)
    second = assign_topics(f"He said {election}.", paragraph, election)
    assert first[0].id == "sanctions"
    assert second[0].id == "elections"
    # the paragraph's matches are cached: asking again gives the same answer
    assert assign_topics(f"She said {sanctions}.", paragraph, sanctions) == first


def test_the_rest_of_the_sentence_alone_does_not_make_a_topic() -> None:
    # the speaker's description is not what was said
    sentence = (
        "Two children were among the passengers, the Algerian foreign affairs ministry "
        "spokesman said."
    )
    assert topic_ids(sentence, sentence, "Two children were among the passengers") == set()


def test_a_sentence_that_names_the_statements_subject_counts() -> None:
    sentence = (
        "In discussing regional security, the leader referenced the absence of disputes "
        "with Russia."
    )
    assert "security" in topic_ids(sentence, sentence, "the absence of disputes with Russia")


def test_a_fragment_of_content_is_read_with_its_sentence() -> None:
    sentence = "Clinton's campaign responded to Sanders as polls show him surging in the caucuses."
    assert "elections" in topic_ids(sentence, sentence, "to Sanders")


@pytest.mark.parametrize(
    ("content", "not_expected"),
    [
        ("the accounts of the Twitter users who posted it", "governance"),
        ("according to the report, the plan is important for customers", "trade"),
        ("the senator is a nasty guy", "governance"),
        ("the power of an insurgent message that cast Clinton as the old guard", "terrorism"),
        ("the cuts would hurt Social Security", "security"),
        ("he announced it at a press conference on Tuesday", "media"),
        ("every tax plan has trade-offs", "trade"),
        ("the scope of the transition is enormous", "trade"),
        ("their views were changed by the Vietnam War", "security"),
        ("the law's sanctions on failing schools ramped up", "sanctions"),
        ("the Senate will vote on the bill next week", "elections"),
        ("the votes are there for the override", "elections"),
        ("the demand was a transparent political ploy", "governance"),
        ("money from the drug trade", "trade"),
        ("it is a very target-rich environment", "environment"),
        ("the Senate minority leader said it shows a lack of respect", "rights"),
        ("I urge the Senate Democratic caucus to act", "elections"),
        ("the progressive energy will bring out voters", "energy"),
        ("the two candidates traded barbs about taxes", "trade"),
        ("police fired tear gas at the crowd", "energy"),
        ("his foreign policy would insult our allies", "governance"),
        ("the House Freedom Caucus wants a vote", "rights"),
        ("the rival campaign stepped up its attacks on the frontrunner", "security"),
        ("the governor's new weapon in the primary is his opponent's record", "security"),
        ("he attacked Kasich relentlessly over the budget in Ohio and Canada", "security"),
        ("the party is trying to lure minorities to the polls", "rights"),
        ("the legislative session ends in May", "law"),
        ("he got more media attention than anyone else in the race", "media"),
        ("voters in Canada want us to talk about their jobs", "diplomacy"),
        ("the minister was talking with reporters in Moscow", "diplomacy"),
        ("the lawsuit contends that the ministry broke the rules", "elections"),
        ("a delegation of Texas lawmakers flew to Mexico", "elections"),
        ("the two senators reached an agreement on the bill", "diplomacy"),
        ("if elected, he would leave such decisions to the generals", "elections"),
        ("the mayors and other local elected officials backed the plan", "elections"),
        ("Japan took a more aggressive stance on the issue", "security"),
        ("the ads were financed by a Texas oilman", "economy"),
        ("the company should be held accountable for the spill", "governance"),
        ("the emails she sent from hostile territory were less secure", "borders"),
        ("the governor is campaigning in conservative territory", "borders"),
        ("he was at the World Trade Center on the day of the attacks", "trade"),
        ("the row over the ban was a manufactured issue", "economy"),
        ("Rubio offered a defense of the bill", "security"),
        ("9 percent found it to be a deterrent", "security"),
        ("refugees accepted from around the world in fiscal 2016", "economy"),
        ("Democracy is messy", "rights"),
        ("a security guard escorted the reporter out", "security"),
        ("producers outside its borders pay no carbon tax", "borders"),
        ("Attacking immigrants in Mexico and the United States is a disgrace", "security"),
        ("Trump attacked a federal judge whose parents were born in Mexico", "security"),
        ("he voted against a measure to extend the tax cuts", "elections"),
        ("Republicans vowed to block the president's Supreme Court nominee", "elections"),
        ("judges nominated by Republican and Democratic presidents", "elections"),
        ("Trump cited a poll conducted by the Center for Security Policy", "security"),
        ("the Muslim Brotherhood backed the candidate", "diplomacy"),
        ("the Club for Growth spent millions on the race", "economy"),
        ("the Republican Party will choose its nominee in July", "law"),
        ("he was nominated for an Oscar", "law"),
        ("the U.S. attorney asked whether she committed perjury", "diplomacy"),
        ("Brexit is a cautionary tale for the campaign", "diplomacy"),
        ("he is friendly with Trump's in-laws and his son-in-law", "law"),
        ("it was a brave act of the firefighters", "law"),
        ("the documents contained trade secrets", "trade"),
        ("Senator Accused Of Shocking Act At Debate Night", "law"),
    ],
)
def test_words_in_another_sense_are_not_evidence(content: str, not_expected: str) -> None:
    assert not_expected not in topic_ids(content, content, content)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("the sanctions on Russia will stay", "sanctions"),
        ("the president's nominee to the federal judiciary", "law"),
        ("68 judicial nominees by this point", "law"),
        ("Republicans vowed to block the president's Supreme Court nominee", "law"),
        ("presumptive Republican nominee Donald Trump attacked the judge", "elections"),
        ("the Democratic nominee for president will win Iowa", "elections"),
        ("the World Trade Organization ruled against the tariffs", "trade"),
        ("Wealthy Voters Abandon Republican Party for Hillary Clinton", "elections"),
        ("a center for security policy would advise the president on defense", "security"),
        ("voters will vote for a new president in November", "elections"),
        ("cuts to the economy and to tax credits", "economy"),
        ("the attacks on journalists and the media", "media"),
        ("the environmental damage of the spill", "environment"),
        ("a clean energy economy by 2050", "energy"),
        ("his foreign policy would insult our allies", "diplomacy"),
        ("the attacks on Kabul killed dozens of soldiers", "security"),
        ("the missile attack on the air base in Syria", "security"),
        ("the bill bans discrimination against religious minorities", "rights"),
        ("the legislation on drug sentencing passed", "law"),
        ("the talks between Tokyo and Seoul resumed", "diplomacy"),
        ("the rebels seized territory in northern Syria.", "borders"),
        ("the country has no territorial claims on its neighbours", "borders"),
        ("the accord between Ankara and Riyadh is in question", "diplomacy"),
        ("Peru and Chile signed a treaty on fishing rights", "diplomacy"),
        ("he called for increased defense spending", "security"),
        ("the defense of Europe against the threat of war", "security"),
        ("a fiscal policy that cuts the budget deficit", "economy"),
        ("Burma has been taking fitful steps toward democracy", "rights"),
        ("Clinton opposes the Second Amendment", "rights"),
        ("LGBTQ people are targeted by hate", "rights"),
        ("the refugee was not a security risk", "security"),
        ("no one should doubt America's commitment to Europe", "diplomacy"),
        ("Britain's vote to leave the European Union was a mistake", "diplomacy"),
        ("a temporary ban on Muslims entering the United States", "migration"),
        ("people ought to come to this country legally", "migration"),
        ("terrorists use encrypted messaging services", "technology"),
        ("the senator's presence on the trail helps her", "elections"),
        ("his isolationist pronouncements startled the region", "diplomacy"),
        ("the reporting requirements of the Foreign Agents Registration Act", "law"),
    ],
)
def test_the_same_words_in_their_topic_sense_still_are(content: str, expected: str) -> None:
    assert expected in topic_ids(content, content, content)


def test_an_attack_aimed_at_a_name_is_read_from_its_argument() -> None:
    heads = frozenset({"attack", "attacked"})
    # tokens: he(0) attacked(1) Kasich(2) ...; the(0) attack(1) on(2) Paris(3) ...
    assert named_arguments("he attacked Kasich in Ohio", heads) == frozenset({1})
    assert named_arguments("the attack on Paris killed many", heads) == frozenset()
    assert named_arguments('"we will attack," Kasich said', heads) == frozenset()
    assert named_arguments("they attacked the base", heads) == frozenset()


def test_the_cue_is_evidence_as_the_content_is() -> None:
    sentence = "A union endorsed Hillary Clinton for president on Thursday."
    content = "Hillary Clinton for president on Thursday"
    assert "elections" not in {t.id for t in assign_topics(sentence, sentence, content)}
    found = assign_topics(sentence, sentence, content, cue="endorsed")
    assert "elections" in {t.id for t in found}
    said = {t.id for t in assign_topics(sentence, sentence, content, cue="said")}
    assert "elections" not in said
    plan = "the plan endorsed by top Senate Democrats"
    assert "elections" not in topic_ids(plan)


def test_a_persons_campaign_is_an_election_and_another_campaign_is_not() -> None:
    # tokens: that(0) is(1) what(2) he(3) exploits(4) in(5) his(6) campaign(7)
    assert possessed("that is what he exploits in his campaign") == frozenset({7})
    assert possessed("Trump's campaign bought ads") == frozenset({1})
    assert possessed("Russia's campaign in Syria") == frozenset()
    assert possessed("its campaign against smoking") == frozenset()
    assert "elections" in topic_ids("That is what he is exploiting in his campaign.")
    assert "elections" in topic_ids("Rubio's campaign sent out a fundraising email.")
    assert "elections" not in topic_ids("The bombing campaign lasted for weeks.")
    assert "elections" not in topic_ids("Russia's campaign in Syria is over.")


@pytest.mark.parametrize(
    "content",
    [
        "her campaign bought ad time in five Super Tuesday states",
        "the next two contests are in Nevada and South Carolina",
        "the senator is a serious contender for the nomination",
        "he signed up to be a delegate for the governor",
        "the front-runner raised more money at the fundraiser",
        "his candidacy has upended the presidential race",
        "the governor will speak at the Republican National Convention",
    ],
)
def test_a_report_on_the_race_names_it_without_election_words(content: str) -> None:
    assert "elections" in topic_ids(content, content, content)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they hold territory in northern Syria.", True),  # the full stop is no part of a name
        ("ties with the U.S.", True),
        ("Moscow-backed rebels took the town", True),
        ("a Saudi-led coalition", True),
        ("a Trump-backed bill", False),
        ("He went home.", False),
    ],
)
def test_foreign_context_is_read_from_names_with_their_punctuation(
    text: str, expected: bool
) -> None:
    assert is_international(text) is expected
