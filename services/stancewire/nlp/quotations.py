"""Quotations around attributions: contents widened to whole quotations, quoted contents run
on over the quotation paragraphs after them, and the quote next to a cue.

Split from :mod:`.attribution` (which finds the cues, contents and sources); offsets are
character offsets into the body, ``quotes`` the body's quotation spans in order.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

if TYPE_CHECKING:
    from stancewire.nlp.attribution import RawAttribution

__all__ = [
    "MAX_CONTINUED_PARAGRAPHS",
    "adjacent_quote",
    "continue_quotations",
    "is_quoted",
    "trim_punct",
    "widen_to_quotes",
]


# Between a cue ('"...," he said') and the quotation that carries on after it, no quotation
# mark: a few words ending in punctuation ("in a statement."; a quotation right after a word is
# a title or a phrase of the sentence: he said on ABC's "This Week"), or the rest of the cue's
# sentence up to SENTENCE_BRIDGE characters ('"...," Graham told CBS News on Super Tuesday, when
# a dozen states held contests. "But ..."'; 150 and 300 score the same on PolNeAR train), and
# a conjunction opening the next sentence before its quotation ('he said. But "..."').
SENTENCE_BRIDGE = 200


_BRIDGE = re.compile(
    r"(?:[^\"\n]{0,59}[,.:;!?\-\u2013\u2014]|[^\"\n]{0," + str(SENTENCE_BRIDGE) + r"}[.!?])?\s*"
    r"(?:(?:But|And|So|Then)\s+)?"  # '"...," he said. But "..."'
)


def continue_quotations(
    found: list[RawAttribution],
    quotes: list[tuple[int, int]],
    paragraphs: list[tuple[int, int]],
    text: str,
) -> list[RawAttribution]:
    """Widen a quotation's content over its cue to the quotation that carries on right after
    it in the same paragraph ('"We will win," he said. "They know it."'), unless another
    cue claims that quotation. The content then spans the cue, as one span must. A quoted
    content (or one that ends introducing a quotation: "said that:") whose paragraph ends with
    it also runs on over the paragraphs after it that are nothing but one quotation that no
    other cue claims: the newspaper convention gives an unattributed quotation paragraph to
    the speaker before it."""
    claimed = sorted((a.content_start, a.content_end) for a in found)
    out: list[RawAttribution] = []
    for attribution in found:
        continued = _continued(attribution, quotes, paragraphs, text, claimed)
        out.append(_over_paragraphs(continued, quotes, paragraphs, text, claimed))
    return out


# Quotation paragraphs a content may run on over ('"...," he said.' then '"But ..."').
MAX_CONTINUED_PARAGRAPHS = 3


def _over_paragraphs(
    attribution: RawAttribution,
    quotes: list[tuple[int, int]],
    paragraphs: list[tuple[int, int]],
    text: str,
    claimed: list[tuple[int, int]],
) -> RawAttribution:
    a = attribution
    at = bisect.bisect_right(paragraphs, (a.content_end, len(text))) - 1
    if at < 0 or not paragraphs[at][0] <= a.content_end - 1 < paragraphs[at][1]:
        return a
    if not paragraphs[at][0] <= a.cue_start < paragraphs[at][1]:
        return a  # the content already left the cue's paragraph
    right = max(a.content_end, a.cue_end)
    if a.source is not None:
        right = max(right, a.source.end_char)
    quoted = _quote_at(quotes, a.content_end - 1)
    if quoted is not None:
        right = max(right, quoted[1])
    elif not text.startswith(":", a.content_end):
        return a  # an indirect content: the quotation after it may be anyone's
    if not _BRIDGE.fullmatch(_untitled(text, right, paragraphs[at][1], quotes)):
        return a  # more of the paragraph follows the content and its cue
    end = a.content_end
    for p_start, p_end in paragraphs[at + 1 : at + 1 + MAX_CONTINUED_PARAGRAPHS]:
        quote = _quote_at(quotes, p_start)
        if quote is None or quote[0] != p_start or text[quote[1] : p_end].strip(_TRIM):
            break  # not one quotation from the paragraph's start to its end
        first = bisect.bisect_left(claimed, (quote[0], quote[0]))
        nearby = claimed[max(0, first - 8) : bisect.bisect_left(claimed, (quote[1], quote[1]))]
        if any(s < quote[1] and quote[0] < e for s, e in nearby if s != a.content_start):
            break
        end = trim_punct(text, quote[0], quote[1])[1]
    return replace(a, content_end=end) if end > a.content_end else a


# A quoted title: a few words, most capitalised, right after a name or a possessive ('on
# CNN's "State of the Union"', 'ABC's "This Week."'), not a quotation of what was said.
_TITLE_WORDS = 8


def _is_title(text: str, quote: tuple[int, int]) -> bool:
    start, end = trim_punct(text, *quote)
    words = text[start:end].split()
    before = text[max(0, quote[0] - 30) : quote[0]].split()
    owner = before[-1] if before else ""
    if not words or len(words) > _TITLE_WORDS or not (owner[:1].isupper() or owner.endswith("'s")):
        return False
    capitalised = sum(w[:1].isupper() or not w[:1].isalpha() for w in words)
    return words[0][:1].isupper() and 2 * capitalised >= len(words)


def _untitled(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with the quotation marks of quoted titles in it blanked out."""
    piece = list(text[start:end])
    for q_start, q_end in quotes[bisect.bisect_left(quotes, (start, start)) :]:
        if q_start >= end:
            break
        if q_end <= end and _is_title(text, (q_start, q_end)):
            for i in range(q_start, q_end):
                if piece[i - start] == '"':
                    piece[i - start] = " "
    return "".join(piece)


def _quote_at(quotes: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The quotation holding character ``offset``, if any."""
    index = bisect.bisect_right(quotes, (offset, sys.maxsize)) - 1
    if index >= 0 and quotes[index][0] <= offset < quotes[index][1]:
        return quotes[index]
    return None


def _continued(
    attribution: RawAttribution,
    quotes: list[tuple[int, int]],
    paragraphs: list[tuple[int, int]],
    text: str,
    claimed: list[tuple[int, int]],
) -> RawAttribution:
    a = attribution
    if a.content_end > a.cue_start or not any(
        q_start <= a.content_start and a.content_end <= q_end for q_start, q_end in quotes
    ):
        return a  # not a quotation given before its cue
    right = a.cue_end
    if a.source is not None and a.source.start_char >= a.cue_end:
        right = max(right, a.source.end_char)
    paragraph_end = next((e for s, e in paragraphs if s <= a.cue_start < e), right)
    index = bisect.bisect_left(quotes, (right, right))
    while index < len(quotes) and _is_title(text, quotes[index]):
        index += 1  # on CNN's "State of the Union." "But ..."
    if index >= len(quotes):
        return a
    q_start, q_end = quotes[index]
    if q_end > paragraph_end or not _BRIDGE.fullmatch(_untitled(text, right, q_start, quotes)):
        return a
    own = (a.content_start, a.content_end)
    first = bisect.bisect_left(claimed, (q_start, q_start))
    last = bisect.bisect_left(claimed, (q_end, q_end))
    nearby = claimed[max(0, first - 8) : last]  # bounded look-back keeps this linear
    if any(s < q_end and q_start < e for s, e in nearby if (s, e) != own):
        return a
    end = trim_punct(text, q_start, q_end)[1]
    return replace(a, content_end=end) if end > a.content_end else a


def is_quoted(at: int, quotes: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether offset ``at`` lies inside one of the sorted, disjoint ``quotes``."""
    index = bisect.bisect_right(starts, at) - 1
    return index >= 0 and at < quotes[index][1]


_BETWEEN_QUOTE_AND_CUE = re.compile(r"[\s,:;.?!\-—–―]*")
_BETWEEN_SETTING_AND_QUOTE = re.compile(r"[ \t,:\-—–―]*")


def adjacent_quote(
    verb: Token,
    source: Span | None,
    quotes: list[tuple[int, int]],
    text: str,
    after: int | None = None,
) -> tuple[int, int] | None:
    """Inside of the quotation that ends just before the source and cue, or starts just
    after the cue, with only punctuation between. ``after`` (past the cue) is where the
    setting the cue governs ends ('tweeted [in response]: "..."', 'saying [at one point],
    "..."'): a quotation may open there, in the same sentence."""
    left = verb.idx if source is None else min(verb.idx, source.start_char)
    right = verb.idx + len(verb)
    between = _BETWEEN_QUOTE_AND_CUE
    if after is not None and after > right:
        # past the setting, the quotation must open the same sentence (no full stop between)
        right, between = after, _BETWEEN_SETTING_AND_QUOTE
    if source is not None and source.start_char > verb.idx:
        right = max(right, source.end_char)
    index = bisect.bisect_left(quotes, (left, left))
    # Only the quotation ending last before the cue and the first one after it can be next
    # to it (quotations are sorted and disjoint).
    after = bisect.bisect_left(quotes, (right, right))
    nearby = quotes[max(0, index - 1) : index] + quotes[after : after + 1]
    for q_start, q_end in nearby:
        before = q_end <= left and "\n" not in text[q_end:left]  # not the paragraph before
        if (before and _BETWEEN_QUOTE_AND_CUE.fullmatch(text, q_end, left)) or (
            q_start >= right and between.fullmatch(text, right, q_start)
        ):
            inner = trim_punct(text, q_start, q_end)
            if inner[0] < inner[1]:
                return inner
    return None


def widen_to_quotes(
    attribution: RawAttribution, quotes: list[tuple[int, int]], text: str
) -> RawAttribution:
    """Widen the content to every quotation it starts or ends inside (cue kept outside), and
    drop a scene-setting lead-in before a quotation given ahead of its cue ('With thousands of
    systems, "there is no single point of failure," he said')."""
    start, end = attribution.content_start, attribution.content_end
    overlapping = _overlapping_quotes(quotes, start, end)
    for q_start, q_end in overlapping:
        if q_start <= attribution.cue_start < q_end:
            continue
        inner_start, inner_end = q_start + 1, q_end
        if text[q_end - 1 : q_end] == '"':
            inner_end = q_end - 1
        start, end = min(start, inner_start), max(end, inner_end)
    if overlapping and end <= attribution.cue_start:
        q_start = overlapping[0][0]
        if start < q_start and re.search(r",\s*$", text[start:q_start]):
            start = q_start + 1
    before = [q for q in overlapping if q[1] <= attribution.cue_start]
    if before and before[0][0] <= start and end > attribution.cue_end:
        # '"She made it up," he said of the claim during a call': the parser hung the words
        # after the cue on the quotation's clause; what was said is the quotation (one that
        # carries on after the cue joins it in continue_quotations).
        end = before[-1][1]
    start, end = trim_punct(text, start, end)
    if (start, end) == (attribution.content_start, attribution.content_end) or start >= end:
        return attribution
    return replace(attribution, content_start=start, content_end=end)


def _overlapping_quotes(
    quotes: list[tuple[int, int]], start: int, end: int
) -> list[tuple[int, int]]:
    """The sorted, disjoint ``quotes`` overlapping ``[start, end)`` (by bisection)."""
    index = max(0, bisect.bisect_right(quotes, (start, start)) - 1)
    found: list[tuple[int, int]] = []
    while index < len(quotes) and quotes[index][0] < end:
        if quotes[index][1] > start:
            found.append(quotes[index])
        index += 1
    return found


_TRIM = " \n\t,;:.\"'"


def trim_punct(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end
