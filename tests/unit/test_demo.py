"""The `make run` demo: bundled samples load, statements print readably."""

from __future__ import annotations

from stancewire.events import (
    ArticleEvent,
    Content,
    Cue,
    Mention,
    Span,
    Speaker,
    Stance,
    Statement,
    Target,
    Topic,
)
from stancewire.pipeline import to_statement_events
from stancewire_dev.demo import format_statement, sample_articles


def test_bundled_samples_include_the_seed_article() -> None:
    articles = sample_articles()
    assert len(articles) >= 2
    assert "seed-kz-ru-0001" in {article.article_id for article in articles}
    assert all(article.body.strip() for article in articles)


def test_statement_prints_speaker_cue_content_stance_and_topics() -> None:
    statement = Statement(
        span=Span(start=0, end=40),
        text="Astana said it values ties with Moscow.",
        kind="indirect",
        cue=Cue(text="said", lemma="say", start=7, end=11),
        content=Content(text="it values ties with Moscow", start=12, end=38),
        speaker=Speaker(
            name="Kazakhstan",
            mention=Mention(text="Astana", start=0, end=6),
            kind="country",
            country="KZ",
            resolution="inferred",
        ),
        targets=[
            Target(
                name="Russia",
                kind="country",
                country="RU",
                stance=Stance(label="positive", score=0.6, evidence=["values ties"]),
            )
        ],
        topics=[Topic(id="diplomacy", score=0.9)],
    )
    event = to_statement_events(ArticleEvent(article_id="a1", body="b"), [statement], "v")[0]
    text = format_statement(event)
    assert "[a1] Kazakhstan (country, KZ, as 'Astana') 'said'" in text
    assert "content: it values ties with Moscow" in text
    assert "stance toward Russia (country RU): positive +0.60 because values ties" in text
    assert "topics: diplomacy 0.90" in text
