"""The `make run` demo: bundled samples load, statements print readably."""

from __future__ import annotations

from stancewire.events import (
    ArticleEvent,
    Content,
    Cue,
    DyadEvent,
    Mention,
    Span,
    Speaker,
    Stance,
    Statement,
    Target,
    Topic,
)
from stancewire.pipeline import to_statement_events
from stancewire_dev.demo import format_dyad, format_statement, sample_articles


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


def test_dyad_prints_on_one_line_with_window_counts_mean_and_events() -> None:
    dyad = DyadEvent.model_validate(
        {
            "window": {"start": "2026-11-02T00:00:00Z", "end": "2026-11-03T00:00:00Z"},
            "source": {"country": "KZ"},
            "target": {"country": "RU"},
            "statements": 9,
            "stance": {"positive": 7, "negative": 0, "neutral": 2, "mean_score": 0.4512},
            "events": {"SUPPORT": 3, "AGREE": 1},
            "statement_ids": ["s1"],
            "updated_at": "2026-11-02T12:00:00Z",
        }
    )
    assert format_dyad(dyad) == (
        "KZ -> RU  2026-11-02  9 statements  +7 / -0  mean +0.45  SUPPORT 3  AGREE 1"
    )
