"""The line contract of ``stancewire stance``: score stance toward targets the caller chooses.

Each input line is a JSON object ``{"id": ..., "text": ..., "targets": [{"start": int, "end":
int}, ...]}`` (Python string offsets into ``text``). Each answer is the same object with every
target given ``"stance": {"label", "score", "evidence"}``; every other field of the line and of
its targets is kept as it was. The text is parsed with the project's spaCy model and the whole
text is the context of every target (each target entry is one mention), through
:func:`stancewire.nlp.stance.stance_toward`, the function the enricher calls.

A bad line (not JSON, not an object, a field missing or of the wrong type, an offset out of
range) raises :class:`LineError`; the caller reports it and goes on with the next line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from stancewire.nlp.stance import stance_toward


class LineError(ValueError):
    """An input line that breaks the contract; the message says how."""


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of one input line: its number (from 1) and either the output line or the
    reason it was rejected."""

    line_number: int
    output: str | None = None
    error: str | None = None


def parse_line(raw: str) -> dict[str, Any]:
    """The request object of one line, checked against the contract."""
    try:
        request = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LineError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(request, dict):
        raise LineError(f"expected a JSON object, got {type(request).__name__}")
    for name in ("id", "text", "targets"):
        if name not in request:
            raise LineError(f'missing field "{name}"')
    text = request["text"]
    if not isinstance(text, str):
        raise LineError('"text" must be a string')
    targets = request["targets"]
    if not isinstance(targets, list):
        raise LineError('"targets" must be a list')
    for k, target in enumerate(targets):
        if not isinstance(target, dict):
            raise LineError(f"targets[{k}] must be an object")
        for name in ("start", "end"):
            value = target.get(name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise LineError(f'targets[{k}]: "{name}" must be an integer')
        start, end = target["start"], target["end"]
        if not 0 <= start < end <= len(text):
            raise LineError(
                f"targets[{k}]: offsets {start}..{end} are not a non-empty span of the "
                f"text (length {len(text)})"
            )
    return request


def score_request(nlp: Language, request: dict[str, Any]) -> dict[str, Any]:
    """The request with every target given its stance (a new object; the input is kept)."""
    text: str = request["text"]
    answered = dict(request)
    if not request["targets"]:
        answered["targets"] = []
        return answered
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    doc = nlp(text)
    context = (0, len(text))
    targets = []
    for target in request["targets"]:
        stance = stance_toward(doc, [(target["start"], target["end"])], context)
        targets.append({**target, "stance": stance.model_dump(mode="json")})
    answered["targets"] = targets
    return answered


def answer_lines(nlp: Language, lines: Iterable[str]) -> Iterator[Answer]:
    """One answer per non-blank input line, in input order (blank lines are skipped)."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            request = parse_line(raw)
        except LineError as exc:
            yield Answer(number, error=str(exc))
            continue
        output = json.dumps(score_request(nlp, request), ensure_ascii=False)
        yield Answer(number, output=output)


__all__ = ["Answer", "LineError", "answer_lines", "parse_line", "score_request"]
