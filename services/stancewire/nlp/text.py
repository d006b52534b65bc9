"""Text normalisation that keeps offsets, plus cheap sentence, paragraph and quote finding.

Every function here works on a string of the same length as the article body, so an index
into the normalised text is an index into ``body``: the contract's offsets stay valid without
any mapping. Normalisation replaces one character by one character (curly quotes by straight
ones, non-breaking and odd spaces by a space, control characters by a space), two apostrophes by
a double quote and a space (``''Yes,'' she said``), and blanks HTML remnants (tags, entities)
with spaces.

The sentence splitter is a regular expression with an abbreviation list: it costs nearly
nothing, which is what lets the orchestrator parse only the sentences that can hold a statement.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stancewire.nlp.datafiles import read_data

__all__ = [
    "find_quotes",
    "normalise",
    "split_paragraphs",
    "split_sentences",
]

_DOUBLE_QUOTES = "“”„‟″«»〝〞＂"
_SINGLE_QUOTES = "‘’‚‛′‹›`´"
# No-break, typographic and zero-width spaces, tabs and odd line controls.
_SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff\t\r\x0b\x0c"
)
_TRANSLATION = str.maketrans(
    {
        **{c: '"' for c in _DOUBLE_QUOTES},
        **{c: "'" for c in _SINGLE_QUOTES},
        **{c: " " for c in _SPACES},
        "\u2028": "\n",
        "\u2029": "\n",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# An HTML tag (<p>, </div>, <br/>, <a href="...">) or an entity (&amp; &#8217; &nbsp;).
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,500})?/?>|<!--.{0,2000}?-->", re.S)
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,6}|#x[0-9A-Fa-f]{1,5});")
_ENTITY_CHAR = {"&quot;": '"', "&#34;": '"', "&apos;": "'", "&#39;": "'", "&rsquo;": "'"}


# Two apostrophes for a double quote (the New York Times' ''...'', TeX-style ``...''), with a
# third one for a single quote inside it ("'Kosovo is a special case,''' Mr. Putin said").
_TWO_APOSTROPHES = re.compile(r"(?<!')'{2,3}(?!')")


def _double_quote(match: re.Match[str]) -> str:
    """As many characters: a double quote mark against the word it quotes (an opener before a
    word, a closer after one), padded with a space on the outer side."""
    run, text, end = match.group(), match.string, match.end()
    opens = end < len(text) and text[end].isalnum()
    if len(run) == 3:
        return " \"'" if opens else "'\" "
    return ' "' if opens else '" '


def normalise(body: str) -> str:
    """Same-length copy of ``body`` that the parser and the rules read more reliably."""
    text = body.translate(_TRANSLATION)
    if "''" in text:
        text = _TWO_APOSTROPHES.sub(_double_quote, text)
    text = _CONTROL.sub(" ", text)
    if "<" in text:
        text = _HTML_TAG.sub(lambda m: _blank(m.group()), text)
    if "&" in text:
        text = _HTML_ENTITY.sub(_entity, text)
    return text


def _blank(fragment: str) -> str:
    """Spaces of the same length, keeping line breaks (paragraph structure)."""
    return "".join("\n" if c == "\n" else " " for c in fragment)


def _entity(match: re.Match[str]) -> str:
    entity = match.group()
    char = _ENTITY_CHAR.get(entity.lower(), " ")
    return char + " " * (len(entity) - 1)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    raw = read_data("abbreviations.txt")
    return frozenset(
        line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


# Candidate sentence ends: terminal punctuation, optional closing quotes or brackets, then space
# and something that can start a sentence.
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
_CAN_END = frozenset({"a.m", "p.m", "etc"})
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = _trim(text, match.start(), match.end())
        if start < end:
            spans.append((start, end))
    return spans


def split_sentences(text: str, paragraph: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed; never crosses a paragraph."""
    if paragraph is None:
        return [s for p in split_paragraphs(text) for s in split_sentences(text, p)]
    p_start, p_end = paragraph
    abbreviations = _abbreviations()
    spans: list[tuple[int, int]] = []
    start = p_start
    for match in _END.finditer(text, p_start, p_end):
        end = match.end()
        if match.group()[0] == ".":
            word = _WORD_BEFORE.search(text, max(start, match.start() - 30), match.start())
            if word is not None:
                token = word.group(1).lower()
                # "Mr.", "Sen.", "U.S.", "J." are not sentence ends; "5 p.m." usually is.
                if token not in _CAN_END and (
                    token in abbreviations or len(token) == 1 or "." in token
                ):
                    continue
        s, e = _trim(text, start, end)
        if s < e:
            spans.append((s, e))
        start = end
    s, e = _trim(text, start, p_end)
    if s < e:
        spans.append((s, e))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotes(text: str, body: str | None = None) -> list[tuple[int, int]]:
    """Spans of double-quoted passages, quote marks included.

    A mark opens or closes by its shape in ``body`` (“ opens, ” closes) or, for a straight
    mark, by its neighbours (after a space and before a word it opens). An opener while a quote
    is open drops the earlier, unclosed one; a closer with nothing open is ignored. A quote left
    open at the end of a paragraph runs on into the next one when that paragraph opens with a
    quote mark (the newspaper convention for a quotation over several paragraphs); otherwise it
    closes at the paragraph's end.
    """
    source = body if body is not None and len(body) == len(text) else text
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for p_start, p_end in split_paragraphs(text):
        marks = [i for i in range(p_start, p_end) if text[i] == '"']
        if open_at is not None:
            if marks and marks[0] == p_start:
                marks = marks[1:]  # the reopening mark of a continued quotation
            else:
                spans.append((open_at, _prev_paragraph_end(text, p_start)))
                open_at = None
        for mark in marks:
            direction = _direction(text, source[mark], mark)
            if open_at is None:
                if direction != "close":
                    open_at = mark
            elif direction == "open":
                open_at = mark  # the earlier opener was never closed
            else:
                spans.append((open_at, mark + 1))
                open_at = None
        # A quote left open here may continue in the next paragraph (decided there).
    if open_at is not None:
        spans.append((open_at, _trim(text, open_at, len(text))[1]))
    return spans


_OPENERS = "“„‟«〝"
_CLOSERS = "”»〞"


def _direction(text: str, original: str, at: int) -> str:
    """open, close or either, from the mark's shape or its neighbours."""
    if original in _OPENERS:
        return "open"
    if original in _CLOSERS:
        return "close"
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if (before.isspace() or before in "([{") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}"):
        return "close"
    return "either"


def _prev_paragraph_end(text: str, p_start: int) -> int:
    return _trim(text, 0, p_start)[1]
