"""Speaker resolution: full names from pronouns, surnames, role nouns, places and groups."""

from __future__ import annotations

import pytest

from stancewire.events import Speaker, Statement
from stancewire.nlp import Enricher, default_enricher
from stancewire.nlp.people import PersonRegister


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return default_enricher()


def speaker_of(statements: list[Statement], cue: str) -> Speaker:
    found = [s for s in statements if s.cue.text.lower().startswith(cue)]
    assert found, [s.cue.text for s in statements]
    return found[0].speaker


def test_pronoun_resolves_to_the_last_named_speaker(enricher: Enricher) -> None:
    body = (
        "Chancellor Olaf Brandt said that the talks had gone well. "
        "He added that a deal could follow within weeks."
    )
    speaker = speaker_of(enricher.enrich(body), "added")
    assert speaker.name == "Olaf Brandt"
    assert speaker.resolution == "pronoun"
    assert speaker.mention is not None and speaker.mention.text == "He"


def test_surname_resolves_to_the_full_name(enricher: Enricher) -> None:
    body = (
        "Foreign Minister Helena Varga met her counterpart on Monday. "
        "Varga warned that the border dispute was far from settled."
    )
    speaker = speaker_of(enricher.enrich(body), "warned")
    assert speaker.name == "Helena Varga"
    assert speaker.kind == "person"
    assert speaker.resolution == "explicit"


def test_appositive_gives_role_and_country_and_role_noun_resolves(enricher: Enricher) -> None:
    body = (
        "The talks were opened by the President of France, Emmanuel Macron, on Friday. "
        "The president stressed that Europe needed a common defence."
    )
    speaker = speaker_of(enricher.enrich(body), "stressed")
    assert speaker.name == "Emmanuel Macron"
    assert speaker.resolution == "title"
    assert speaker.role is not None and "President" in speaker.role
    assert speaker.country == "FR"


def test_demonym_role_noun_resolves_to_the_leader_of_that_country(enricher: Enricher) -> None:
    body = (
        "Turkish President Recep Tayyip Erdogan arrived in Rome on Sunday. "
        "The Turkish leader said that trade between the countries would double."
    )
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.name == "Recep Tayyip Erdogan"
    assert speaker.resolution == "title"


def test_capital_city_speaks_for_its_country(enricher: Enricher) -> None:
    body = "Beijing warned that it would respond to any new tariffs."
    speaker = speaker_of(enricher.enrich(body), "warned")
    assert speaker.country == "CN"
    assert speaker.kind == "country"


def test_institution_metonym_resolves_to_its_country(enricher: Enricher) -> None:
    body = "The Kremlin said on Monday that the talks had been useful."
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.country == "RU"


def test_unnamed_group_stays_a_group(enricher: Enricher) -> None:
    body = (
        "President Lena Ortiz signed the law on Friday. "
        "Some critics argued that it would hurt small farms."
    )
    speaker = speaker_of(enricher.enrich(body), "argued")
    assert speaker.kind == "group"
    assert "critics" in speaker.name
    assert "Ortiz" not in speaker.name


def test_speaker_after_the_quote_is_the_speaker(enricher: Enricher) -> None:
    body = (
        'Union leader Frank Doyle joined the strike. "We are not going back," Doyle said. '
        '"Not until the contract is signed," he added.'
    )
    statements = enricher.enrich(body)
    assert speaker_of(statements, "said").name == "Frank Doyle"
    assert speaker_of(statements, "added").name == "Frank Doyle"


def test_register_keeps_the_fullest_name_per_surname() -> None:
    register = PersonRegister()
    register.add("Tokayev", 40)
    register.add("Kassym-Jomart Tokayev", 10, role="President of Kazakhstan", confirmed=True)
    register.add("Mr. Putin's", 80)
    person = register.fullest("Tokayev")
    assert person is not None
    assert person.name == "Kassym-Jomart Tokayev"
    assert person.role == "President of Kazakhstan"
    assert person.start == 10
    assert register.fullest("Putin") is not None
    assert register.fullest("Obama") is None


def test_register_keeps_people_sharing_a_surname_apart() -> None:
    register = PersonRegister()
    register.add("Hillary Clinton", 10, confirmed=True)
    register.add("Bill Clinton", 50, confirmed=True)
    register.add("Hillary Rodham Clinton", 90, confirmed=True)
    names = sorted(p.name for p in register.people)
    assert names == ["Bill Clinton", "Hillary Rodham Clinton"]
    bill = register.fullest("Bill Clinton")
    assert bill is not None and bill.name == "Bill Clinton"


def test_register_drops_epithets_and_titles_before_a_full_name() -> None:
    register = PersonRegister()
    register.add("Crooked Hillary Clinton", 10, confirmed=True)
    register.add("Hillary Clinton", 40, confirmed=True)
    person = register.fullest("Clinton")
    assert person is not None and person.name == "Hillary Clinton"


def test_abbreviated_title_gives_the_role_a_role_noun_resolves_to(enricher: Enricher) -> None:
    body = (
        "Sen. Ted Cruz (R-Texas) blocked the bill on Tuesday. "
        "The senator argued that it was far too expensive."
    )
    speaker = speaker_of(enricher.enrich(body), "argued")
    assert speaker.name == "Ted Cruz"
    assert speaker.resolution == "title"


def test_country_speaker_has_the_country_common_name(enricher: Enricher) -> None:
    speaker = speaker_of(enricher.enrich("Moscow insisted that the drills were defensive."), "ins")
    assert (speaker.name, speaker.country, speaker.kind) == ("Russia", "RU", "country")


def test_role_phrase_before_a_name_and_party_pick_the_right_nominee(enricher: Enricher) -> None:
    body = (
        "Republican presidential nominee Tom Baxter met donors on Monday, while Democratic "
        "presidential nominee Ellen Ruiz toured a factory. "
        "The Democratic nominee said that wages had to rise."
    )
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.name == "Ellen Ruiz"
    assert speaker.resolution == "title"


def test_first_person_inside_a_quotation_is_its_speaker() -> None:
    from stancewire.events import Content, Cue, Mention, Span, Statement
    from stancewire.nlp.enricher import _first_person_in_quotes

    def statement(cue: int, content: tuple[int, int], speaker: Speaker) -> Statement:
        return Statement(
            span=Span(start=0, end=80),
            text="x",
            kind="direct",
            cue=Cue(text="said", lemma="say", start=cue, end=cue + 4),
            content=Content(text="x", start=content[0], end=content[1]),
            speaker=speaker,
        )

    moss = Speaker(
        name="Ada Moss",
        mention=Mention(text="Moss", start=60, end=64),
        kind="person",
        resolution="explicit",
    )
    me = Speaker(
        name="I", mention=Mention(text="I", start=1, end=2), kind="person", resolution="none"
    )
    outer = statement(65, (1, 50), moss)
    inner = statement(3, (10, 50), me)
    resolved = _first_person_in_quotes([inner, outer])[0].speaker
    assert (resolved.name, resolved.resolution) == ("Ada Moss", "pronoun")
    assert resolved.mention == me.mention


def test_name_particles_keep_the_whole_name_and_the_title_is_the_role(
    enricher: Enricher,
) -> None:
    body = (
        "European Council President Margriet van der Berg said on Friday that the summit "
        "would go ahead. Van der Berg told reporters the agenda was settled."
    )
    statements = enricher.enrich(body)
    first = speaker_of(statements, "said")
    assert first.name == "Margriet van der Berg"
    assert first.role == "European Council President"
    assert speaker_of(statements, "told").name == "Margriet van der Berg"


@pytest.mark.parametrize(
    ("title", "role", "country"),
    [
        ("Prime Minister", "Prime Minister", None),
        ("Brazilian Health Minister", "Health Minister", "BR"),
        ("German Foreign Minister", "Foreign Minister", "DE"),
        ("Kenya's President", "President", "KE"),
    ],
)
def test_premodifier_title_is_the_whole_role_without_the_country(
    enricher: Enricher, title: str, role: str, country: str | None
) -> None:
    body = f"{title} Tomas Lindqvist said on Monday the budget would be balanced."
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.name == "Tomas Lindqvist"
    assert speaker.role == role
    assert speaker.country == country


def test_first_name_mention_resolves_to_the_full_name_explicitly(enricher: Enricher) -> None:
    body = (
        "Tesfaye Alemu Bekele, the head of the regional agency, warned on Monday of a "
        'drought. "We are running out of time," Tesfaye said.'
    )
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.name == "Tesfaye Alemu Bekele"
    assert speaker.resolution == "explicit"


def test_shared_surname_resolves_to_the_most_recent_person(enricher: Enricher) -> None:
    body = (
        "Senator Laura Whitcombe said on Sunday the bill would pass. Her brother, Governor "
        'Mark Whitcombe, disagreed. "It will fail," Mark Whitcombe said. Whitcombe said '
        "the votes were not there."
    )
    statements = enricher.enrich(body)
    later = [s for s in statements if s.cue.text == "said"][-1]
    assert later.speaker.name == "Mark Whitcombe"


def test_secretary_of_state_title_lets_the_role_noun_resolve(enricher: Enricher) -> None:
    body = (
        "Secretary of State Daniel Okafor met his counterpart on Monday. "
        "The secretary of state said the talks had been productive."
    )
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.name == "Daniel Okafor"
    assert speaker.resolution == "title"


def test_country_government_speaks_for_the_country(enricher: Enricher) -> None:
    body = "Norway's government said on Tuesday it would increase aid to the region."
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.kind == "country"
    assert speaker.country == "NO"


def test_dateline_is_not_part_of_the_speaker(enricher: Enricher) -> None:
    body = "OSLO - The Norwegian fisheries ministry said quotas would be cut next year."
    speaker = speaker_of(enricher.enrich(body), "said")
    assert not speaker.name.startswith("OSLO")


def test_arabic_article_surname_resolves_without_it(enricher: Enricher) -> None:
    body = (
        "Interior Minister Khalid Hamad al-Rashidi said on Monday the border would reopen. "
        "Rashidi told reporters that checks would be strict."
    )
    speaker = speaker_of(enricher.enrich(body), "told")
    assert speaker.name == "Khalid Hamad al-Rashidi"


def test_country_leader_is_a_head_of_state_not_a_spokesman(enricher: Enricher) -> None:
    body = (
        "Government spokesman Arvid Kallas said on Monday that President Helmi Toots would "
        "attend the summit. The Estonian leader said the talks would be difficult."
    )
    speaker = [s for s in enricher.enrich(body) if s.cue.text == "said"][-1].speaker
    assert speaker.name == "Helmi Toots"
    assert speaker.resolution == "title"


def test_speaker_after_a_dateline_with_an_agency(enricher: Enricher) -> None:
    body = (
        "SAO PAULO (Reuters) - Brazilian Finance Minister Renato Albuquerque said on Thursday "
        "that the deficit would shrink."
    )
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.name == "Renato Albuquerque"
    assert speaker.role == "Finance Minister"
    assert speaker.country == "BR"


def test_kremlin_speaks_for_russia(enricher: Enricher) -> None:
    body = "The Kremlin said on Monday that the new sanctions would not change its course."
    speaker = speaker_of(enricher.enrich(body), "said")
    assert (speaker.name, speaker.kind, speaker.country) == ("Russia", "country", "RU")


def test_named_head_of_an_organisation_in_apposition(enricher: Enricher) -> None:
    body = (
        "HANOI - The director of the National Weather Agency, Pham Thi Lan, said on Monday "
        "that the typhoon would reach the coast overnight. Pham said evacuations had begun."
    )
    statements = enricher.enrich(body)
    assert len(statements) == 2
    assert all(s.speaker.name == "Pham Thi Lan" for s in statements)


def test_role_noun_country_is_learned_for_later_statements(enricher: Enricher) -> None:
    body = (
        'Prime Minister Anders Holm welcomed the talks. "We are ready," the Danish leader '
        "said. Holm said a deal could follow in May."
    )
    statements = enricher.enrich(body)
    assert statements[-1].speaker.name == "Anders Holm"
    assert statements[-1].speaker.country == "DK"


def test_honorifics_tell_namesakes_apart(enricher: Enricher) -> None:
    body = (
        "Hillary Clinton and Bill Clinton attended the dinner. Mrs. Clinton said she was "
        "proud of the campaign. Mr. Clinton said he agreed."
    )
    statements = enricher.enrich(body)
    by_mention = {s.speaker.mention.text: s.speaker.name for s in statements if s.speaker.mention}
    assert by_mention["Mrs. Clinton"] == "Hillary Clinton"
    assert by_mention["Mr. Clinton"] == "Bill Clinton"


def test_short_form_with_title_joins_the_full_name(enricher: Enricher) -> None:
    body = (
        "Saudi Foreign Minister Prince Faisal bin Farhan said the kingdom wanted a ceasefire. "
        "Prince Faisal said talks would continue."
    )
    names = {s.speaker.name for s in enricher.enrich(body)}
    assert names == {"Prince Faisal bin Farhan"}


def test_short_form_parsed_before_the_full_name_is_found(enricher: Enricher) -> None:
    # The first sentence holds no cue, so its names come from the name patterns only.
    body = (
        "Kazakh President Kassym-Jomart Tokayev met Chinese President Xi Jinping in Astana. "
        "Xi said China valued the partnership."
    )
    speaker = speaker_of(enricher.enrich(body), "said")
    assert (speaker.name, speaker.role, speaker.country) == ("Xi Jinping", "President", "CN")


def test_abbreviated_title_is_spelled_out_in_the_role(enricher: Enricher) -> None:
    body = 'Sen. Martha Quayle said the bill would pass. "We have the votes," the senator said.'
    statements = enricher.enrich(body)
    assert {s.speaker.name for s in statements} == {"Martha Quayle"}
    assert statements[0].speaker.role == "Senator"


def test_title_ending_in_a_to_phrase_before_the_name(enricher: Enricher) -> None:
    body = (
        "U.S. Ambassador to the United Nations Linda Thomas-Greenfield said the resolution "
        "was a step forward."
    )
    speaker = speaker_of(enricher.enrich(body), "said")
    assert speaker.name == "Linda Thomas-Greenfield"
    assert speaker.role == "Ambassador to the United Nations"
    assert speaker.country == "US"
