"""Entity normalisation: names, capitals, adjectives and metonyms resolve to one country."""

from __future__ import annotations

from importlib import resources

import pycountry
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stancewire.nlp.entities import (
    NormalizedEntity,
    country_name,
    lookup_alias,
    normalize_entity,
    resolve_country,
)


@pytest.mark.parametrize(
    ("mention", "code"),
    [
        ("Russia", "RU"),
        ("the Russian Federation", "RU"),
        ("Moscow", "RU"),
        ("Russian", "RU"),
        ("Russians", "RU"),
        ("the Kremlin", "RU"),
        ("Kazakhstan", "KZ"),
        ("Astana", "KZ"),
        ("Kazakh", "KZ"),
        ("the White House", "US"),
        ("Washington", "US"),
        ("the U.S.", "US"),
        ("US", "US"),
        ("America", "US"),
        ("the Obama administration", "US"),
        ("the Trump administration's", "US"),
        ("Downing Street", "GB"),
        ("Britain's Treasury", "GB"),
        ("Britain", "GB"),
        ("British", "GB"),
        ("Kyiv", "UA"),
        ("Kiev", "UA"),
        ("Beijing", "CN"),
        ("Chinese", "CN"),
        ("Türkiye", "TR"),
        ("Ankara", "TR"),
        ("Germany's foreign ministry", "DE"),
        ("the Élysée", "FR"),
        ("Elysee", "FR"),
        ("Seoul", "KR"),
        ("Pyongyang", "KP"),
        ("Tehran", "IR"),
        ("the President of Kazakhstan", "KZ"),
        ("the Kazakh leader", "KZ"),
        ("Brazilian", "BR"),
    ],
)
def test_mentions_resolve_to_their_country(mention: str, code: str) -> None:
    assert resolve_country(mention) == code


@pytest.mark.parametrize(
    "mention", ["us", "Tokayev", "observers", "", "   ", "!!!", "the", "IT", "it", "in"]
)
def test_mentions_that_name_no_country_resolve_to_none(mention: str) -> None:
    assert resolve_country(mention) is None


def test_metonyms_normalise_to_the_country_itself() -> None:
    for mention in ("the Kremlin", "Moscow", "Russian", "Russia"):
        assert normalize_entity(mention) == NormalizedEntity("Russia", "country", "RU")


def test_government_bodies_stand_for_their_country() -> None:
    entity = normalize_entity("Britain's Treasury", "ORG")
    assert entity == NormalizedEntity("United Kingdom", "country", "GB")


def test_roles_of_a_country_stay_people_with_that_country() -> None:
    entity = normalize_entity("the President of Kazakhstan")
    assert entity is not None
    assert (entity.kind, entity.country) == ("person", "KZ")
    assert "Kazakhstan" in entity.name


def test_companies_named_after_a_country_keep_their_own_name() -> None:
    entity = normalize_entity("Russian Railways", "ORG")
    assert entity == NormalizedEntity("Russian Railways", "organization", "RU")


def test_places_inside_a_country_name_are_not_the_country() -> None:
    entity = normalize_entity("the South China Sea", "LOC")
    assert entity is not None and entity.country is None


def test_international_organisations_have_canonical_names() -> None:
    assert normalize_entity("the EU") == NormalizedEntity("European Union", "organization")
    assert normalize_entity("E.U.") == normalize_entity("European Union")
    assert normalize_entity("NATO", "ORG") == NormalizedEntity("NATO", "organization")


def test_people_lose_their_honorifics() -> None:
    entity = normalize_entity("President Vladimir Putin", "PERSON")
    assert entity == NormalizedEntity("Vladimir Putin", "person", None)


def test_a_person_label_keeps_given_names_that_are_also_countries() -> None:
    assert normalize_entity("Jordan", "PERSON") == NormalizedEntity("Jordan", "person")
    assert normalize_entity("Jordan", "GPE") == NormalizedEntity("Jordan", "country", "JO")
    assert normalize_entity("Washington", "PERSON") == NormalizedEntity("Washington", "person")


def test_a_person_label_on_a_plain_country_name_is_overruled() -> None:
    # spaCy's small model tags a lone "Azerbaijan" as PERSON in some sentences
    assert resolve_country("Azerbaijan") == "AZ"
    entity = normalize_entity("Azerbaijan", "PERSON")
    assert entity is not None and entity.country == "AZ"


def test_unresolved_places_and_groups_keep_their_kind() -> None:
    assert normalize_entity("Ohio", "GPE") == NormalizedEntity("Ohio", "unknown")
    assert normalize_entity("Republicans", "NORP") == NormalizedEntity("Republicans", "group")


def test_the_pronoun_us_is_not_the_united_states() -> None:
    assert lookup_alias("us") is None
    assert lookup_alias("US") is not None


def test_country_names_are_short_common_names() -> None:
    assert country_name("RU") == "Russia"
    assert country_name("gb") == "United Kingdom"
    assert country_name("KR") == "South Korea"
    assert country_name("ZZ") is None


def test_every_iso_country_has_a_name() -> None:
    for country in pycountry.countries:
        assert country_name(country.alpha_2)


def test_every_curated_code_is_an_iso_code() -> None:
    raw = resources.files("stancewire.nlp").joinpath("data/entities.yaml").read_text("utf-8")
    curated = yaml.safe_load(raw)
    for section in ("names", "capitals", "adjectives", "metonyms"):
        for alias, code in curated[section].items():
            assert pycountry.countries.get(alpha_2=code) is not None, (section, alias)
            assert resolve_country(str(alias)) == code, (section, alias)


@given(st.text(max_size=80), st.sampled_from([None, "GPE", "ORG", "PERSON", "NORP", "LOC"]))
def test_normalisation_never_raises_and_codes_are_iso(text: str, label: str | None) -> None:
    entity = normalize_entity(text, label)
    if entity is not None:
        assert entity.name.strip()
        if entity.country is not None:
            assert pycountry.countries.get(alpha_2=entity.country) is not None


def test_states_without_an_iso_code_are_countries_without_a_code() -> None:
    assert normalize_entity("Kosovo", "GPE") == NormalizedEntity("Kosovo", "country", None)
    assert normalize_entity("Pristina") == NormalizedEntity("Kosovo", "country", None)
    assert resolve_country("Kosovo") is None
