"""The article-level pass over the statements' topics: a weak second topic of one statement
is dropped unless the article bears it out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stancewire.nlp.topic_article import SECONDARY_MIN_SCORE, settle_article_topics
from stancewire.nlp.topics import assign_topics

# two strong content terms for law, one for economy: law first, economy an aside
ASIDE = "to seek legislation ending the immunity from lawsuits gun manufacturers enjoy"


def ids(topics: list[list[object]]) -> list[list[str]]:
    return [[t.id for t in statement] for statement in topics]  # type: ignore[attr-defined]


def test_a_weak_second_topic_of_one_statement_is_dropped() -> None:
    topics = [assign_topics(ASIDE, ASIDE, ASIDE)]
    assert [t.id for t in topics[0]][:2] == ["law", "economy"]
    assert ids(settle_article_topics(topics, [ASIDE], [ASIDE])) == [["law"]]


def test_topics_tied_for_first_stay() -> None:
    content = "the legislation would protect manufacturers"
    topics = [assign_topics(content, content, content)]
    assert {t.id for t in topics[0]} == {"law", "economy"}
    assert topics[0][0].score == topics[0][1].score
    assert settle_article_topics(topics, [content], [content]) == topics


def test_the_first_topic_and_strong_ones_stay() -> None:
    content = "the budget deficit and the economy; separately the court heard the lawsuit"
    topics = [assign_topics(content, content, content)]
    assert len(topics[0]) == 2 and all(t.score >= SECONDARY_MIN_SCORE for t in topics[0])
    assert settle_article_topics(topics, [content], [content]) == topics


def test_an_aside_stays_when_the_article_carries_its_topic_elsewhere() -> None:
    about_jobs = "manufacturing jobs and the economy"
    topics = [assign_topics(ASIDE, ASIDE, ASIDE), assign_topics(about_jobs, about_jobs, about_jobs)]
    assert ids(topics)[1][0] == "economy"
    settled = settle_article_topics(topics, [ASIDE, about_jobs], [ASIDE, about_jobs])
    assert ids(settled)[0][:2] == ["law", "economy"]


def test_an_aside_stays_when_the_article_repeats_it_in_three_sentences() -> None:
    sentences = [f"{ASIDE} ({n})" for n in range(3)]
    topics = [assign_topics(s, s, s) for s in sentences]
    assert all(ids([t])[0][:2] == ["law", "economy"] for t in topics)
    assert settle_article_topics(topics, sentences, sentences) == topics
    # the same sentence three times (nested statements) is one place, not three
    same = [ASIDE] * 3
    assert ids(settle_article_topics(topics, same, same)) == [["law"]] * 3


def test_an_aside_listed_with_a_stronger_topic_stays() -> None:
    # "trade and humanitarian collaboration": the statement names both subjects
    listed = "the legislation and lawsuits, and the manufacturers"
    apart = "the legislation and lawsuits that manufacturers face"
    for content in (listed, apart):
        assert [t.id for t in assign_topics(content, content, content)][:2] == ["law", "economy"]
    settled = settle_article_topics(
        [assign_topics(c, c, c) for c in (listed, apart)], ["one.", "two."], [listed, apart]
    )
    assert ids(settled) == [["law", "economy"], ["law"]]
    # a sentence that names the subjects lists them too
    sentence = "Discussing legislation and manufacturers, he said lawsuits would follow."
    content = "lawsuits would follow from the legislation; manufacturers worry"
    topics = [assign_topics(sentence, sentence, content)]
    assert len(topics[0]) == 2 and topics[0][1].score < SECONDARY_MIN_SCORE
    assert settle_article_topics(topics, [sentence], [content]) == topics
    assert ids(settle_article_topics(topics, ["He said so."], [content])) == [[topics[0][0].id]]


def test_a_fragments_weak_first_topic_needs_the_article() -> None:
    # "the pick": the sentence stands in for what was said, so one of its words is no
    # firm evidence of the statement's first topic
    sentence = "In a statement announcing the pick, the union cited medical leave for its members."
    topics = [assign_topics(sentence, sentence, "the pick")]
    assert ids(topics) == [["health"]] and topics[0][0].score < SECONDARY_MIN_SCORE
    assert ids(settle_article_topics(topics, [sentence], ["the pick"])) == [[]]
    # the same topic as another statement's first keeps it
    other = "the hospitals and the doctors"
    both = [*topics, assign_topics(other, other, other)]
    assert ids(settle_article_topics(both, [sentence, other], ["the pick", other]))[0] == ["health"]
    # a content of three words or more is no fragment: its first topic stands
    content = "medical leave benefits"
    alone = [assign_topics(content, content, content)]
    assert settle_article_topics(alone, [content], [content]) == alone


@given(st.lists(st.tuples(st.text(max_size=120), st.text(max_size=40)), max_size=6))
def test_the_pass_only_removes_and_keeps_the_order(statements: list[tuple[str, str]]) -> None:
    sentences = [sentence for sentence, _ in statements]
    contents = [content for _, content in statements]
    topics = [assign_topics(s, s, c) for s, c in statements]
    settled = settle_article_topics(topics, sentences, contents)
    assert len(settled) == len(topics)
    for before, after in zip(topics, settled, strict=True):
        assert after == [t for t in before if t in after]
