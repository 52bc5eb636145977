"""Sentence-aware chunking: sizes, overlap, offsets, pages and stable ids (pure, no I/O)."""

from __future__ import annotations

import itertools

import pytest

from core.models import Chunk
from ingest.chunking import split
from ingest.sentences import sentence_spans, sentences

_SUBJECTS = ["The Commerce Department", "Beijing", "Dr. Wang", "Chipmakers in Taiwan", "The U.S. Treasury"]
_CLAUSES = [
    "tightened the rules on advanced lithography tools",
    "said the tariffs would stay in place until talks resume next spring",
    "reported that exports of mature-node chips rose by 3.5 per cent in the quarter",
    "warned",
    "argued that subsidies under the CHIPS and Science Act had drawn new fabs to Arizona, Ohio and Texas",
]


def prose(count: int, seed: int = 0) -> str:
    """Deterministic article-like text with sentences of varied length and some paragraph breaks."""
    parts: list[str] = []
    combos = itertools.cycle(itertools.product(_SUBJECTS, _CLAUSES))
    for _ in range(seed):
        next(combos)
    for n in range(count):
        subject, clause = next(combos)
        parts.append(f"{subject} {clause} (item {n}).")
        if n % 7 == 6:
            parts.append("\n\n")
        else:
            parts.append(" ")
    return "".join(parts).strip()


def assert_offsets(text: str, chunks: list[Chunk]) -> None:
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert c.text == c.text.strip() and c.text


@pytest.mark.parametrize(("size", "overlap"), [(150, 0), (200, 60), (500, 150), (900, 150)])
def test_chunks_are_whole_sentences_within_size_with_exact_offsets(size: int, overlap: int) -> None:
    text = prose(60)
    spans = sentence_spans(text)
    starts = {a for a, _ in spans}
    ends = {b for _, b in spans}
    assert max(b - a for a, b in spans) <= size  # no sentence needs cutting at these sizes

    chunks = split(text, "doc", "hash", size=size, overlap=overlap)

    assert len(chunks) > 1
    assert_offsets(text, chunks)
    for c in chunks:
        assert len(c.text) <= size
        assert c.start in starts, f"chunk {c.index} starts mid-sentence: {c.text[:40]!r}"
        assert c.end in ends, f"chunk {c.index} ends mid-sentence: {c.text[-40:]!r}"
        assert c.page is None
    # Nothing is lost: every sentence lies inside some chunk.
    for a, b in spans:
        assert any(c.start <= a and b <= c.end for c in chunks), text[a:b]


@pytest.mark.parametrize(("size", "overlap"), [(300, 100), (200, 100), (260, 130), (900, 150)])
def test_consecutive_chunks_overlap_by_whole_sentences_up_to_the_limit(size: int, overlap: int) -> None:
    text = prose(80)
    starts = {a for a, _ in sentence_spans(text)}
    chunks = split(text, "doc", size=size, overlap=overlap)

    overlapping = 0
    for prev, nxt in itertools.pairwise(chunks):
        assert nxt.start > prev.start and nxt.end > prev.end, "every chunk must add new text"
        assert prev.end - nxt.start <= overlap
        assert nxt.start in starts
        overlapping += nxt.start < prev.end
    # Sentences here are 40-120 characters, so most boundaries can repeat one.
    assert overlapping >= len(chunks) // 2


def test_zero_overlap_partitions_the_sentences() -> None:
    text = prose(40)
    chunks = split(text, "doc", size=250, overlap=0)
    for prev, nxt in itertools.pairwise(chunks):
        assert nxt.start > prev.end
        assert text[prev.end : nxt.start].strip() == ""


def test_next_chunk_is_never_just_the_previous_chunks_tail() -> None:
    # Two short sentences, then one that cannot share a chunk with the second: stepping back for
    # overlap must not produce a chunk holding only the second sentence again.
    text = "A" * 39 + ". " + "B" * 39 + ". " + "C" * 89 + "."
    chunks = split(text, "doc", size=100, overlap=50)
    assert [(c.start, c.end) for c in chunks] == [(0, 81), (82, 172)]


def test_a_sentence_longer_than_the_size_is_cut_at_whitespace() -> None:
    words = [f"word{n:03d}" for n in range(150)]
    long_sentence = " ".join(words) + "."
    text = f"A short opening sentence. {long_sentence} A short closing sentence."
    chunks = split(text, "doc", size=200, overlap=0)

    assert_offsets(text, chunks)
    for c in chunks:
        assert len(c.text) <= 200
        assert c.start == 0 or text[c.start - 1].isspace(), "cut inside a word"
        assert c.end == len(text) or text[c.end].isspace(), "cut inside a word"
    rebuilt = " ".join(c.text for c in chunks).split()
    assert rebuilt == text.split()


def test_chunks_never_span_a_page_and_carry_their_page_number() -> None:
    pages = [prose(9, seed=0), prose(4, seed=3), prose(12, seed=9)]
    text = "\n\n".join(pages)
    page_starts = [0]
    for page in pages[:-1]:
        page_starts.append(page_starts[-1] + len(page) + 2)

    chunks = split(text, "doc", size=300, overlap=80, page_starts=page_starts)

    assert_offsets(text, chunks)
    bounds = [*page_starts, len(text)]
    for c in chunks:
        assert c.page in (1, 2, 3)
        first, last = bounds[c.page - 1], bounds[c.page]
        assert first <= c.start and c.end <= last, f"chunk {c.index} crosses a page break"
        assert c.text in pages[c.page - 1]
    assert {c.page for c in chunks} == {1, 2, 3}
    # The first chunk of a page starts at that page's first character; no overlap carries over.
    for page, start in enumerate(page_starts, 1):
        assert min(c.start for c in chunks if c.page == page) == start


def test_chunk_ids_are_stable_and_depend_on_document_and_content() -> None:
    text = prose(30)
    first = split(text, "doc-a", "hash-1", size=300, overlap=80)
    again = split(text, "doc-a", "hash-1", size=300, overlap=80)
    other_content = split(text, "doc-a", "hash-2", size=300, overlap=80)
    other_doc = split(text, "doc-b", "hash-1", size=300, overlap=80)

    ids = [c.chunk_id for c in first]
    assert ids == [c.chunk_id for c in again]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & {c.chunk_id for c in other_content}
    assert not set(ids) & {c.chunk_id for c in other_doc}
    assert all(c.doc_id == "doc-a" for c in first)


def test_sentence_splitter_keeps_abbreviations_decimals_and_initials() -> None:
    text = (
        "U.S. officials met Dr. Smith in Washington on Jan. 5 to discuss a 3.5 per cent tariff. "
        "J. Liang, the founder, did not attend! Was the deal signed? Reporters were told it was."
    )
    assert sentences(text) == [
        "U.S. officials met Dr. Smith in Washington on Jan. 5 to discuss a 3.5 per cent tariff.",
        "J. Liang, the founder, did not attend!",
        "Was the deal signed?",
        "Reporters were told it was.",
    ]


def test_initialisms_end_a_sentence_only_before_a_word_that_opens_one() -> None:
    # A fragment such as "ET tweet on October 2 …" would be quoted as if it were a sentence.
    text = (
        "Donald Trump issued a 1 a.m. ET tweet on October 2, 2020, announcing the result. "
        "The vote closes at 8 p.m. Saturday. Sen. J.D. Vance and the D.C. Circuit disagreed. "
        "The family moved to the U.S. They settled in Ohio. It ended at 5 p.m.\n\nNext came the count."
    )
    assert sentences(text) == [
        "Donald Trump issued a 1 a.m. ET tweet on October 2, 2020, announcing the result.",
        "The vote closes at 8 p.m. Saturday.",
        "Sen. J.D. Vance and the D.C. Circuit disagreed.",
        "The family moved to the U.S.",
        "They settled in Ohio.",
        "It ended at 5 p.m.",
        "Next came the count.",
    ]


def test_paragraph_breaks_end_sentences_even_without_punctuation() -> None:
    text = "Export controls\n\nThe rules took effect in October. They cover chips."
    assert sentences(text) == ["Export controls", "The rules took effect in October.", "They cover chips."]


def test_a_paragraph_opening_with_stray_punctuation_starts_at_its_first_word() -> None:
    # A scraped page kept the colon of a bold label it lost: the sentence is the words after it.
    text = "The latest\n\n: NATO leaders have formally invited Sweden and Finland.\n\n;  It was expected."
    assert sentences(text) == [
        "The latest",
        "NATO leaders have formally invited Sweden and Finland.",
        "It was expected.",
    ]


def test_a_dateline_split_off_after_a_states_abbreviation_leaves_no_dash_to_open_the_sentence() -> None:
    text = "INDIAN WELLS, Calif. — Five-time champion Novak Djokovic has withdrawn. He cannot travel."
    assert sentences(text) == [
        "INDIAN WELLS, Calif.",
        "Five-time champion Novak Djokovic has withdrawn.",
        "He cannot travel.",
    ]
    # a dash inside a sentence stays
    assert sentences("The tariff — 125% — took effect.") == ["The tariff — 125% — took effect."]


def test_edge_cases() -> None:
    assert split("", "doc") == []
    assert split("   \n\n  ", "doc") == []
    one = split("Just one sentence.", "doc", size=900)
    assert [(c.start, c.end, c.text) for c in one] == [(0, 18, "Just one sentence.")]
    with pytest.raises(ValueError):
        split("text", "doc", size=0)
