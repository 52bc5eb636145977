"""Chinese word segmentation for matching: Han runs become words, everything else is left as it is.

FTS5's unicode61 tokenizer treats a run of Chinese characters as one token, so a search for
关税 never matches 加征关税. Segmenting Han runs into space-separated words (rjieba, the
jieba-rs dictionary packaged in the wheel) before text reaches FTS5 — and queries the same
way — makes Chinese words searchable while English text passes through byte for byte.
"""

from __future__ import annotations

import re
from functools import lru_cache

# CJK ideographs (basic, extension A, compatibility) and 〇, the ideographic zero.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{HAN}]+")
_HAN_CHAR = re.compile(f"[{HAN}]")

# Function words that carry no topic: left out of searches and of citation word matching.
_STOPWORD_LIST = """
的 了 是 在 和 与 及 或 对 于 将 把 被 也 都 而 并 等 这 那 之 其 中 为 以 从 由 向 有 个 上 下 就 还 又
什么 哪些 哪个 哪里 多少 如何 怎么 怎样 为什么 是否 吗 呢 吧 啊 谁 何时 何 我们 他们 它们 你们 这些 那些
这个 那个 以及 因为 所以 如果 但是 而且 已经 可以 没有 进行 关于 对于 根据 按照 通过
"""
STOPWORDS_ZH = frozenset(_STOPWORD_LIST.split())


def has_han(text: str) -> bool:
    """Whether text contains any Chinese character."""
    return _HAN_CHAR.search(text) is not None


@lru_cache(maxsize=1)
def _segmenter() -> object:
    import rjieba  # the dictionary ships inside the wheel: nothing is downloaded

    return rjieba


@lru_cache(maxsize=65536)
def _words_of_run(run: str) -> tuple[str, ...]:
    """Search-mode words of one Han run: every dictionary word, plus the shorter words inside long ones."""
    jieba = _segmenter()
    words = jieba.cut_for_search(run, True)  # type: ignore[attr-defined]
    return tuple(w for w in words if w.strip())


def han_words(text: str) -> list[str]:
    """The Chinese words of text, in order (search mode, so 进口商品 also yields 进口 and 商品)."""
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        out.extend(_words_of_run(run) if len(run) > 1 else (run,))
    return out


def segment(text: str) -> str:
    """text with each Han run replaced by its words separated by spaces; text without Han unchanged."""
    if not has_han(text):
        return text
    return _HAN_RUN.sub(lambda m: " " + " ".join(_words_of_run(m.group(0)) or (m.group(0),)) + " ", text)
