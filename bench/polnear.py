"""Reader for the PolNeAR corpus (BRAT standoff attributions), used by the bench scripts.

PolNeAR (Newell, Margolin and Ruths, LREC 2018) annotates every attribution in 2016 US political
news with Source, Cue and Content spans. See ``shared/polnear/README.md``. Research data: the
texts are read from the shared folder at run time and never copied into the repository.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Fragments = tuple[tuple[int, int], ...]

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution: cue and content always, source optional."""

    cue: Fragments
    content: Fragments
    source: Fragments | None


@dataclass
class Article:
    name: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)


def _fragments(spec: str) -> Fragments:
    return tuple(
        (int(a), int(b)) for a, b in (frag.split() for frag in spec.split(";") if frag.strip())
    )


def parse_ann(ann: str) -> list[GoldAttribution]:
    """Attributions of one BRAT file; those lacking a cue or a content are skipped."""
    spans: dict[str, tuple[str, Fragments]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            kind, _, spec = parts[1].partition(" ")
            spans[parts[0]] = (kind, _fragments(spec))
        elif parts[0].startswith("E"):
            roles = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            events.append(roles)
    out: list[GoldAttribution] = []
    for roles in events:
        cue_id, content_id = roles.get("Cue"), roles.get("Content")
        if cue_id not in spans or content_id not in spans:
            continue
        source_id = roles.get("Source")
        source = spans[source_id][1] if source_id in spans else None
        out.append(GoldAttribution(spans[cue_id][1], spans[content_id][1], source))
    return out


def load_split(shared: Path, split: str, limit: int | None = None) -> list[Article]:
    """Articles of ``split`` (train or dev), each with ONE annotator's file (the first by name)."""
    root = shared / "polnear" / split
    anns: dict[str, Path] = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        article, _, _annotator = path.stem.rpartition("_")
        anns.setdefault(article, path)
    articles: list[Article] = []
    for text_path in sorted((root / "text").glob("*.txt")):
        ann_path = anns.get(text_path.stem)
        if ann_path is None:
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append(
            Article(text_path.stem, text, parse_ann(ann_path.read_text(encoding="utf-8")))
        )
        if limit is not None and len(articles) >= limit:
            break
    return articles
