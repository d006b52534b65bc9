"""Articles from the command line's inputs: .txt bodies, .json ArticleEvents, .jsonl lines, stdin.

``enrich``, ``dyads`` and ``produce`` take the same inputs. Every problem (missing file, bad
encoding, an invalid ArticleEvent) raises :class:`InputError`, whose message names the file and
line; click prints it on standard error and exits with status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
from pydantic import ValidationError

from stancewire.events import ArticleEvent


class InputError(click.ClickException):
    """Bad input file or article: a clear message on stderr and exit code 1."""


def read_articles(path: str) -> Iterator[ArticleEvent]:
    """Articles of one CLI argument: .txt body, .json ArticleEvent, .jsonl lines, ``-`` stdin.

    Standard input holds JSON lines when its first non-blank character is ``{``, else one body.
    """
    if path == "-":
        text = sys.stdin.read()
        if text.lstrip().startswith("{"):
            yield from _parse_jsonl(text, "<stdin>")
        else:
            yield ArticleEvent(article_id="stdin", body=text)
        return
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    suffix = file.suffix.lower()
    if suffix == ".txt":
        yield ArticleEvent(article_id=file.stem, body=text)
    elif suffix == ".json":
        yield _parse_article(text, path)
    elif suffix == ".jsonl":
        yield from _parse_jsonl(text, path)
    else:
        raise InputError(f"{path}: unsupported file type {suffix!r} (use .txt, .json or .jsonl)")


def _parse_jsonl(text: str, where: str) -> Iterator[ArticleEvent]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _parse_article(line, f"{where}:{number}")


def _parse_article(text: str, where: str) -> ArticleEvent:
    try:
        return ArticleEvent.model_validate_json(text)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(root)'}: {error['msg']}"
            for error in exc.errors()
        )
        raise InputError(f"{where}: not a valid ArticleEvent: {problems}") from None
