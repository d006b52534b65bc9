"""The stance model's word-vector table: its file format, its arithmetic, and which words of a
context it reads for a target (sentences written for these tests)."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.language import Language

from stancewire.nlp.docindex import char_span
from stancewire.nlp.roles import other_phrases
from stancewire.nlp.stance import read_target
from stancewire.nlp.stance_model import DOMAINS
from stancewire.nlp.stance_vectors import GROUPS, load_vector_table, parse_table, vector_words


def _table() -> np.ndarray:
    logits = np.zeros((3, 3 * len(GROUPS)), dtype=np.float32)
    logits[0, 0:3] = (1.0, 0.0, -1.0)  # row 0, group "vw"
    logits[1, 0:3] = (3.0, 0.0, 1.0)  # row 1, group "vw"
    logits[2, 9:12] = (0.0, 2.0, 0.0)  # row 2, group "vt"
    return logits


def test_each_group_adds_the_mean_of_its_known_words_logits() -> None:
    table = parse_table("bad awful\nworse\nminister\n", _table())
    assert table.rows == {"bad": 0, "awful": 0, "worse": 1, "minister": 2}
    # "vw": mean of rows 0 and 1 (the unknown word adds nothing); "vt": row 2
    logits = table.logits_of((["bad", "worse", "unknown"], [], [], ["minister"]))
    assert logits == pytest.approx((2.0, 2.0, 0.0))
    assert table.logits_of(([], [], [], [])) == (0.0, 0.0, 0.0)


def test_a_table_with_a_share_per_domain_reads_the_domain_asked_for() -> None:
    per_domain = np.concatenate([_table(), 2 * _table()], axis=1)
    table = parse_table("bad awful\nworse\nminister\n", per_domain)
    groups: tuple[list[str], list[str], list[str], list[str]] = (["bad"], [], [], ["minister"])
    assert table.logits_of(groups, 0) == pytest.approx((1.0, 2.0, -1.0))
    assert table.logits_of(groups, 1) == pytest.approx((2.0, 4.0, -2.0))
    # a table without domains gives every domain the same share
    assert parse_table("bad\nworse\nminister\n", _table()).logits_of(groups, 1) == (
        pytest.approx((1.0, 2.0, -1.0))
    )


def test_a_table_whose_words_and_logits_disagree_is_refused() -> None:
    with pytest.raises(ValueError, match="2 word rows"):
        parse_table("bad\nworse\n", _table())


def test_the_shipped_table_has_twelve_logits_per_row_and_domain() -> None:
    table = load_vector_table()
    assert len(table.rows) > 100_000
    assert {len(row) for row in table.logits} == {3 * len(GROUPS) * len(DOMAINS)}
    assert "government" in table.rows and "Government" not in table.rows


def _groups(nlp: Language, text: str, target: str) -> tuple[list[str], ...]:
    start = text.index(target)
    read = read_target(nlp(text), [(start, start + len(target))], (0, len(text)))
    assert read is not None
    return read[1]


def test_the_groups_are_the_window_the_head_the_context_and_the_mention(nlp: Language) -> None:
    text = "Critics said the minister from Chile gave a dishonest answer yesterday."
    window, head, context, own = _groups(nlp, text, "Chile")
    assert own == ["chile"]
    assert "chile" not in context and "critics" in context and "yesterday" in context
    assert "minister" in window and "dishonest" in window
    assert head == ["from"]


def test_a_negated_polar_word_is_left_out_of_the_vectors(nlp: Language) -> None:
    window, _, context, _ = _groups(nlp, "Peru is not hostile toward Bolivia.", "Bolivia")
    assert "hostile" not in window and "hostile" not in context
    window, _, context, _ = _groups(nlp, "Peru is hostile toward Bolivia.", "Bolivia")
    assert "hostile" in window and "hostile" in context


def test_the_phrase_naming_another_entity_is_left_out(nlp: Language) -> None:
    text = "The United States condemns China's aggressive behavior."
    _, _, context, _ = _groups(nlp, text, "United States")
    assert "condemns" in context
    assert "aggressive" not in context and "behavior" not in context
    _, _, context, _ = _groups(nlp, text, "China")
    assert "aggressive" in context and "behavior" in context


def test_other_phrases_climbs_from_a_possessor_to_its_noun_phrase(nlp: Language) -> None:
    doc = nlp("Spain praised Italy's generous offer to the refugees.")
    spain = char_span(doc, 0, 5)
    italy = char_span(doc, 14, 19)
    assert spain is not None and italy is not None
    own = set(range(spain.start, spain.end))
    others = frozenset(range(italy.start, italy.end))
    words = {doc[i].lower_ for i in other_phrases(doc, own, others)}
    assert {"italy", "generous", "offer"} <= words
    assert "praised" not in words and "spain" not in words
    # a phrase that also names the target is not left out
    assert other_phrases(doc, set(range(italy.start, italy.end)) | own, others) == set()


def test_vector_words_without_a_mention_are_empty(nlp: Language) -> None:
    doc = nlp("Nothing happened.")
    span = doc[0 : len(doc)]
    assert vector_words(span, []) == ([], [], [], [])
