"""How much lower multilingual-e5-small scores a passage written in the other language than the question.

    .venv/bin/python -m bench.language_gap

Parallel texts: questions and the passages that answer them, each written in English and in
Chinese (general news, none about the sample library's story), plus the nine paragraphs of the
Geneva joint statement of 12 May 2025, which was released in both languages. For a question in
language X and a passage in both languages, the gap is cos(question, passage in Y) minus
cos(question, passage in X): what the language alone costs. A passage that answers the
question loses more than an unrelated one; `rag/crosslingual.py` adds that difference (median
gap for answering pairs minus median gap for unrelated pairs) back to other-language passages.
"""

from __future__ import annotations

import statistics
import sys
from typing import Any

from bench.common import REPO, save

COMMAND = ".venv/bin/python -m bench.language_gap"

# (question en, question zh, passage en, passage zh): each question is answered by its passage.
PAIRS = [
    (
        "When will the new railway bridge open to traffic?",
        "新的铁路桥什么时候通车？",
        "The city said the new railway bridge across the river will open to traffic in March next year.",
        "市政府表示，横跨河流的新铁路桥将于明年三月通车。",
    ),
    (
        "How many people were evacuated because of the flood?",
        "洪水导致多少人被疏散？",
        "Heavy rain flooded several villages, and about 12,000 people were evacuated to shelters.",
        "暴雨淹没了数个村庄，约1.2万人被疏散到安置点。",
    ),
    (
        "What did the central bank do with interest rates?",
        "央行对利率采取了什么措施？",
        "The central bank cut its benchmark interest rate by a quarter of a percentage point to support growth.",
        "央行将基准利率下调0.25个百分点，以支持经济增长。",
    ),
    (
        "Who won the marathon?",
        "谁赢得了马拉松比赛？",
        "A 24-year-old runner from Kenya won the marathon in two hours and six minutes.",
        "一名24岁的肯尼亚选手以2小时6分的成绩赢得马拉松比赛。",
    ),
    (
        "Why was the factory closed?",
        "工厂为什么被关闭？",
        "Inspectors closed the factory after finding that it had discharged untreated waste water into the lake.",
        "检查人员发现该工厂向湖中排放未经处理的废水后，将其关闭。",
    ),
    (
        "How much will the new hospital cost?",
        "新医院将花费多少钱？",
        "The provincial government approved 3 billion yuan to build a new hospital with 800 beds.",
        "省政府批准投资30亿元建设一所拥有800张床位的新医院。",
    ),
    (
        "What did the company announce about its electric cars?",
        "这家公司就其电动汽车宣布了什么？",
        "The company announced that it will recall 40,000 electric cars to replace faulty batteries.",
        "该公司宣布将召回4万辆电动汽车，以更换有缺陷的电池。",
    ),
    (
        "When do students take the national exam?",
        "学生什么时候参加全国考试？",
        "Students across the country take the national university entrance exam every year in early June.",
        "全国各地的学生每年六月初参加全国高考。",
    ),
]


def geneva_paragraphs() -> list[tuple[str, str]]:
    """The Geneva joint statement's paragraphs in English and Chinese, aligned one to one."""

    def paragraphs(name: str) -> list[str]:
        body = (REPO / "corpus" / name).read_text(encoding="utf-8").split("---", 2)[2]
        # The Chinese text ends with the news agency's dateline, which the English has not.
        return [p.strip() for p in body.split("\n\n") if p.strip() and "新华社" not in p]

    english = paragraphs("wh-2025-05-12-us-china-geneva-joint-statement.md")
    chinese = paragraphs("zh-2025-05-12-geneva-joint-statement.md")
    assert len(english) == len(chinese), (len(english), len(chinese))
    return list(zip(english, chinese, strict=True))


def dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from ingest.embed import SentenceEmbedder

    embedder = SentenceEmbedder("multilingual-e5-small")
    passages = [(en, zh) for *_, en, zh in PAIRS] + geneva_paragraphs()
    vectors = {
        "en": embedder.embed_batch([p[0] for p in passages]),
        "zh": embedder.embed_batch([p[1] for p in passages]),
    }
    results: dict[str, Any] = {"passages": len(passages), "questions": len(PAIRS)}
    for own, other, column in (("en", "zh", 0), ("zh", "en", 1)):
        answering: list[float] = []  # the question's own passage
        unrelated: list[float] = []  # every other passage
        same_answering: list[float] = []
        for i, pair in enumerate(PAIRS):
            question = embedder.embed_query(pair[column])
            for j in range(len(passages)):
                gap = dot(question, vectors[other][j]) - dot(question, vectors[own][j])
                (answering if i == j else unrelated).append(gap)
                if i == j:
                    same_answering.append(dot(question, vectors[own][j]))
        results[f"{own}->{other}"] = {
            "median_gap_answering": round(statistics.median(answering), 4),
            "min_gap_answering": round(min(answering), 4),
            "max_gap_answering": round(max(answering), 4),
            "median_gap_unrelated": round(statistics.median(unrelated), 4),
            "median_cosine_answering_same_language": round(statistics.median(same_answering), 4),
            # What rag/crosslingual.py restores: how much more the language costs a relevant passage.
            "relevance_gap": round(statistics.median(unrelated) - statistics.median(answering), 4),
        }
    print(results, file=sys.stderr)
    save("language_gap", results, COMMAND)
    return results


if __name__ == "__main__":
    main()
