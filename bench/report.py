"""docs/BENCHMARKS.md and its plots, from the JSON files the benchmarks left in bench/results/.

    .venv/bin/python -m bench.report

Every figure in the page comes from those files; rerunning a benchmark and then this script
(or `make bench`, which does both) reproduces the page.
"""

from __future__ import annotations

import re
from typing import Any

from bench.common import DOCS, REPO, load

PAGE = DOCS / "BENCHMARKS.md"
LATENCY_PNG = DOCS / "bench-retrieval-latency.png"
INGEST_PNG = DOCS / "bench-ingest-stages.png"

P50_TARGET_MS = 50
P95_TARGET_MS = 150


def _mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def plots(results: dict[str, Any]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    retrieval = results.get("retrieval")
    if retrieval:
        fig, ax = plt.subplots(figsize=(7, 4.2))
        sizes = [row["chunks"] for row in retrieval["rows"]]
        for case, colour in (("no filter", "tab:blue"), ("one outlet", "tab:orange"), ("date window", "tab:green")):
            ax.plot(sizes, [row[case]["p50_ms"] for row in retrieval["rows"]], "o-", color=colour, label=f"{case} p50")
            ax.plot(sizes, [row[case]["p95_ms"] for row in retrieval["rows"]], "s--", color=colour, label=f"{case} p95")
        ax.axhline(P50_TARGET_MS, color="grey", lw=0.8, ls=":")
        ax.axhline(P95_TARGET_MS, color="grey", lw=0.8, ls="-.")
        ax.set_xscale("log")
        ax.set_xlabel("chunks in the library")
        ax.set_ylabel("Retriever.search latency (ms)")
        ax.set_title("Hybrid retrieval latency vs library size (targets: p50 50 ms, p95 150 ms)")
        ax.legend(fontsize=7, ncol=2)
        ax.grid(True, which="both", alpha=0.3)
        fig.tight_layout()
        fig.savefig(LATENCY_PNG, dpi=110)
        plt.close(fig)
        made.append(LATENCY_PNG.name)
    ingest = results.get("ingest")
    if ingest:
        fig, ax = plt.subplots(figsize=(7, 3.6))
        labels = [row["backend"] for row in ingest["rows"]]
        left = [0.0] * len(labels)
        for stage, colour in (("load", "tab:gray"), ("embed", "tab:blue"), ("write", "tab:orange")):
            values = [row["seconds"][stage] for row in ingest["rows"]]
            ax.barh(labels, values, left=left, color=colour, label=stage)
            left = [a + b for a, b in zip(left, values, strict=True)]
        for i, row in enumerate(ingest["rows"]):
            ax.text(left[i], i, f"  {row['chunks_per_s']} chunks/s", va="center", fontsize=8)
        ax.set_xlabel(f"seconds to ingest clapnq ({ingest['rows'][0]['chunks']} chunks)")
        ax.set_title("Ingest time per stage, by embedding backend")
        ax.set_xlim(0, max(left) * 1.35)
        ax.legend(fontsize=8, loc="lower right")
        fig.tight_layout()
        fig.savefig(INGEST_PNG, dpi=110)
        plt.close(fig)
        made.append(INGEST_PNG.name)
    return made


def render(results: dict[str, Any]) -> str:
    any_result = next((r for r in results.values() if r), None)
    machine = any_result["machine"] if any_result else {}
    dates = sorted(r["date"] for r in results.values() if r)
    quick = any(r.get("quick") for r in results.values() if r)
    out: list[str] = []
    w = out.append
    w("# Benchmarks")
    w("")
    w("Produced by `make bench` (`.venv/bin/python -m bench.run_all`), which runs each script below and then")
    w("`bench.report` to write this page and its plots from `bench/results/*.json`. Every figure here names the")
    w("command that produced it; each script runs alone too (add `--quick` for a smoke run).")
    if quick:
        w("")
        w("> **These figures come from `--quick` runs** (smaller sizes, fewer repeats); rerun without it for the full table.")
    w("")
    w("| | |")
    w("| --- | --- |")
    w(f"| machine | {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, {machine.get('ram_gib', '?')} GiB RAM (from /proc) |")
    versions = machine.get("versions", {})
    w(f"| software | Python {machine.get('python', '?')}, " + ", ".join(f"{k} {v}" for k, v in versions.items() if v) + " |")
    w(f"| date | {dates[0] if dates else '?'} to {dates[-1] if dates else '?'} (UTC) |")
    w(f"| load average when started | {machine.get('load_average_at_start', 0):.1f} (the machine is shared: other processes compete for the 2 cores, so figures are noisy; baselines are measured in the same run and compared as ratios) |")
    w("")

    out.extend(_targets(results))
    out.extend(_embed_section(results.get("embed")))
    out.extend(_ingest_section(results.get("ingest")))
    out.extend(_memory_section(results.get("memory")))
    out.extend(_retrieval_section(results.get("retrieval")))
    out.extend(_ask_section(results.get("ask")))
    out.extend(_startup_section(results.get("startup")))
    out.extend(_local_model_section(results.get("local_model")))
    out.extend(_feeds_section(results.get("feeds")))
    return "\n".join(out) + "\n"


def _targets(results: dict[str, Any]) -> list[str]:
    rows = []
    embed, ingest, memory = results.get("embed"), results.get("ingest"), results.get("memory")
    retrieval, ask, startup = results.get("retrieval"), results.get("ask"), results.get("startup")
    if embed:
        int8 = next(r for r in embed["rows"] if r["variant"].endswith("onnx-int8"))
        ok = int8["speedup_wall"] >= 2 and int8["speedup_cpu"] >= 2
        rows.append(
            (
                "embedding throughput ≥ 2x plain `SentenceTransformer.encode`",
                f"{int8['speedup_wall']}x wall, {int8['speedup_cpu']}x CPU time ({int8['chunks_per_s']} vs "
                f"{embed['rows'][0]['chunks_per_s']} chunks/s)",
                _mark(ok),
                "`python -m bench.embed`",
            )
        )
    if ingest:
        fast = ingest["rows"][-1]
        delta = ingest["recall5_delta_points"]
        rows.append(
            (
                "retrieval recall@5 within 1 point of the unoptimised embedder",
                f"{_fmt(100 * fast['metrics']['retrieval_recall@5'])}% vs "
                f"{_fmt(100 * ingest['rows'][0]['metrics']['retrieval_recall@5'])}% ({delta:+.1f} points)",
                _mark(delta >= -1.0),
                "`python -m bench.ingest`",
            )
        )
        rows.append(
            (
                "load + chunk + write add < 10% on top of embedding",
                f"{100 * fast['overhead_vs_embed']:.1f}% (load {fast['seconds']['load']} s, write "
                f"{fast['seconds']['write']} s, embed {fast['seconds']['embed']} s)",
                _mark(fast["overhead_vs_embed"] < 0.10),
                "`python -m bench.ingest`",
            )
        )
    if memory:
        rss = {row["documents"]: row["peak_rss_mib"] for row in memory["rows"]}
        # 1k against the largest: below one full batch (the 100-document row) only the fixed floor shows.
        small, large = min((d for d in rss if d >= 1000), default=min(rss)), max(rss)
        growth = rss[large] / rss[small]
        rows.append(
            (
                "peak RSS of an ingest flat as the corpus grows",
                f"{rss[small]:.0f} MiB at {small:,} docs, {rss[large]:.0f} MiB at {large:,} docs (x{growth:.2f} for "
                f"{large // small}x the documents)",
                _mark(growth < 1.5),
                "`python -m bench.memory`",
            )
        )
    if retrieval:
        top = retrieval["rows"][-1]
        worst50 = max(top[c]["p50_ms"] for c in ("no filter", "one outlet", "date window"))
        worst95 = max(top[c]["p95_ms"] for c in ("no filter", "one outlet", "date window"))
        rows.append(
            (
                f"retrieval p50 < {P50_TARGET_MS} ms, p95 < {P95_TARGET_MS} ms at 100k chunks",
                f"at {top['chunks']:,} chunks: worst p50 {worst50:.1f} ms, worst p95 {worst95:.1f} ms (of 3 filter cases)",
                _mark(top["chunks"] >= 100_000 and worst50 < P50_TARGET_MS and worst95 < P95_TARGET_MS)
                if top["chunks"] >= 100_000
                else "not measured at 100k (--quick)",
                "`python -m bench.retrieval`",
            )
        )
    if ask:
        for row in ask["rows"]:
            limit = 0.5 if row["generator"] == "extractive" else 3.0
            # Judged on the questions it answered: an abstention skips generation and would flatter it.
            answered = row["answered_total"] or row["total"]
            first = row.get("answered_first_token") or row["first_token"]
            errors = row.get("errors", 0)
            rows.append(
                (
                    f"`ask` p50 < {limit} s, {row['generator']}, warm",
                    f"answered questions: p50 {answered['p50_ms'] / 1000:.2f} s, p95 {answered['p95_ms'] / 1000:.2f} s, "
                    f"first token p50 {first['p50_ms'] / 1000:.2f} s; all questions: p50 "
                    f"{row['total']['p50_ms'] / 1000:.2f} s" + (f"; **{errors} question(s) failed**" if errors else ""),
                    _mark(answered["p50_ms"] / 1000 < limit and not errors),
                    "`python -m bench.ask`",
                )
            )
    if startup:
        cold = startup["rows"]["briefing ask (onnx-int8 embedder, default)"]
        torch_row = startup["rows"]["briefing ask (torch embedder)"]
        rows.append(
            (
                "`briefing ask` from a cold shell (reported)",
                f"{cold['mean_s']:.2f} s ± {cold['stdev_s']:.2f} (torch embedder: {torch_row['mean_s']:.2f} s)",
                "reported",
                "`python -m bench.startup`",
            )
        )
    feeds = results.get("feeds")
    if feeds:
        steps = {row["step"].split(" (")[0]: row for row in feeds["rows"]}
        first, idle = steps["first poll"], steps["second poll"]
        peak = max(row["peak_rss_mib"] for row in feeds["rows"])
        rows.append(
            (
                f"polling {feeds['feeds']} feeds × {feeds['items_per_feed']} items: bounded time and memory",
                f"first poll {first['new']:,} entries in {first['seconds']:.0f} s (embed {first['stages'].get('embed', 0):.0f} s); "
                f"unchanged poll {idle['seconds']:.1f} s ({idle['not modified']} × 304); peak RSS {peak:.0f} MiB",
                _mark(peak < FEEDS_RSS_MIB and idle["not modified"] == feeds["feeds"] and not first["failed feeds"]),
                "`python -m bench.feeds`",
            )
        )
    out = ["## Targets", "", "| target | measured | status | command |", "| --- | --- | --- | --- |"]
    out.extend(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    out.append("")
    missed = [(a, b) for a, b, c, _ in rows if "missed" in c]
    out += ["### Where the figures fall short", ""]
    if not missed:
        out += ["Every measured target is met in this run.", ""]
    for target, measured in missed:
        out.append(f"- **{target}**: {measured}. {_why(target, measured)}")
    if missed:
        out.append("")
    return out


def _why(target: str, measured: str) -> str:
    """The known reason a target can be missed on this machine, for the shortfall list."""
    if target.startswith("embedding throughput"):
        return (
            "The ratio depends on how busy the shared 2 cores are: when sentence-transformers gets both cores the"
            " gap narrows; the CPU-time ratio is the steadier figure."
        )
    if target.startswith("retrieval recall@5"):
        return "int8 weights move some vectors by up to 1 - cosine 0.01; `BRIEFING_EMBED_BACKEND=onnx` is exact."
    if target.startswith("load + chunk"):
        return (
            "Most of the non-embedding time is the near-duplicate index (MinHash signature and one SQLite"
            " transaction per document, in the write stage); batching its writes per flush would cut it."
        )
    if target.startswith("peak RSS"):
        return (
            "What still grows is per-library state (Chroma's in-memory HNSW index and its write buffers, SQLite"
            " caches), not the corpus text, which is streamed."
        )
    if target.startswith("`ask`"):
        why = []
        if "failed" in measured:
            why.append(
                "Failed questions are not slow ones: when Gemma's first token is a newline (the stop sequence)"
                " the llama.cpp backend yields no text and LangChain's LLM.stream raises 'No generation chunks"
                " were returned', so `ask` errors instead of falling back to the extractive answer (see the"
                " end-to-end section)."
            )
        if "p50" in measured and "llamacpp" in target:
            why.append(
                "Gemma reads the 3 best passages (~700 tokens) before its first token on 2 cores; the"
                " extractive generator has no such step."
            )
        return " ".join(why)
    return ""


def _embed_section(embed: dict[str, Any] | None) -> list[str]:
    if not embed:
        return []
    out = [
        "## Embedding throughput",
        "",
        f"`{embed['command']}`: {embed['chunks']} chunks of the clapnq corpus (as ingest splits them), "
        f"{embed['rounds']} interleaved round(s) per variant, fastest round kept.",
        "",
        "| variant | seconds | CPU seconds | chunks/s | speed-up (wall) | speed-up (CPU) | min cosine to torch |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in embed["rows"]:
        out.append(
            f"| {r['variant']} | {r['seconds']} | {r['cpu_seconds']} | {r['chunks_per_s']} | {r['speedup_wall']}x | "
            f"{r['speedup_cpu']}x | {r['min_cosine_to_reference']} |"
        )
    out += [
        "",
        "What makes it fast (ingest/embed.py): the model is exported once to ONNX with torch's exporter, ONNX",
        "Runtime's transformer optimiser fuses attention, GELU and layer norms, and `onnx-int8` quantises the",
        "weights to int8 (per channel, dynamic activations) except the feed-forward output projections, whose",
        "post-GELU inputs have outliers (quantising them too dropped the worst cosine to 0.98). Texts are tokenised",
        "once, sorted by token length and padded per batch; ONNX Runtime uses one thread per core without",
        "busy-waiting. sentence-transformers with default settings leaves the second core mostly idle here, which",
        "is why the wall-clock ratio is larger than the CPU-time ratio; the CPU-time ratio is the conservative one.",
        "",
    ]
    return out


def _ingest_section(ingest: dict[str, Any] | None) -> list[str]:
    if not ingest:
        return []
    out = [
        "## Ingest by stage, and retrieval quality",
        "",
        f"`{ingest['command']}`: the clapnq corpus.jsonl into a fresh library per backend via `Briefing.ingest`,",
        "then `briefing eval`'s `evaluate()` on that library (extractive generator, temporal handling on).",
        "",
        f"![ingest stages]({INGEST_PNG.name})",
        "",
        "| backend | chunks | total s | load s | embed s | write s | chunks/s | (load+write)/embed | recall@1 | recall@5 | recall@10 | MRR@10 | s/question p50 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in ingest["rows"]:
        m = r["metrics"]
        out.append(
            f"| {r['backend']} | {r['chunks']} | {r['seconds_total']} | {r['seconds']['load']} | {r['seconds']['embed']} | "
            f"{r['seconds']['write']} | {r['chunks_per_s']} | {100 * r['overhead_vs_embed']:.1f}% | "
            f"{_fmt(m['retrieval_recall@1'], 3)} | {_fmt(m['retrieval_recall@5'], 3)} | {_fmt(m['retrieval_recall@10'], 3)} | "
            f"{_fmt(m['retrieval_mrr@10'], 3)} | {_fmt(m['seconds_per_question_median'], 3)} |"
        )
    out += [
        "",
        f"Whole-ingest speed-up {ingest['ingest_speedup']}x, embed stage {ingest['embed_stage_speedup']}x; recall@5 moved "
        f"{ingest['recall5_delta_points']:+.1f} points ({ingest['rows'][0]['questions']} questions scored).",
        "",
        "Stages as `IngestReport.seconds` counts them: *load* = walk, read, parse, clean, chunk and the",
        "unchanged-content check; *embed* = the embedder; *write* = Chroma upsert, the SQLite commit (documents,",
        "chunks, FTS5 BM25 triggers) and the near-duplicate index. The int8 vectors differ from torch's by at most",
        "1 - cosine 0.01, so the eval cache of one backend must not be scored with the other: each backend gets",
        "its own data folder here. A library records the model and backend that embedded it (`embedder` in its",
        "SQLite meta table); another model is refused until `briefing reindex`, another backend of the same model",
        "is noted on ingest.",
        "",
    ]
    return out


def _memory_section(memory: dict[str, Any] | None) -> list[str]:
    if not memory:
        return []
    out = [
        "## Peak memory of an ingest",
        "",
        f"`{memory['command']}`: `briefing ingest corpus.jsonl --quiet` in a fresh subprocess per size; the corpus is",
        "clapnq repeated with new ids and titles; peak RSS is the child's `ru_maxrss` from `os.wait4`.",
        "",
        "| documents | corpus MB | chunks | seconds | chunks/s | load / embed / write s | peak RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in memory["rows"]:
        stages = re.search(r"load ([\d.]+)s, embed ([\d.]+)s, write ([\d.]+)s", r["summary"])
        split = " / ".join(stages.groups()) if stages else "-"
        rate = f"{r['chunks'] / r['seconds']:.1f}" if r.get("chunks") else "-"
        out.append(
            f"| {r['documents']:,} | {r['corpus_mb']} | {r['chunks']} | {r['seconds']} | {rate} | {split} | {r['peak_rss_mib']} |"
        )
    out += [
        "",
        "Ingest streams: JSONL is read line by line, documents are chunked, embedded and committed in batches",
        "of about 256 chunks, and nothing keeps a document's text after its batch is written. What still grows",
        "with the library is the vector index Chroma keeps in memory (384 floats per chunk plus its HNSW graph,",
        "about 2 KB per chunk) and SQLite's page cache; the model and runtimes are a fixed ~350 MiB. The",
        "embedder runs at most 4,096 padded tokens at a time: 64 full-length chunks per run, the earlier batch,",
        "peaked about 800 MiB higher in attention buffers and was no faster.",
        "",
        "Every record past the first 592 is a copy of an earlier one, so the near-duplicate index matches",
        "each new document against all its earlier copies: that is the worst case for its share of the write",
        "stage, larger here than on the distinct clapnq documents of the ingest table above.",
        "",
    ]
    return out


def _retrieval_section(retrieval: dict[str, Any] | None) -> list[str]:
    if not retrieval:
        return []
    out = [
        "## Retrieval latency vs library size",
        "",
        f"`{retrieval['command']}`: {retrieval['questions']} clapnq questions per case, `Retriever.search(question,",
        "filters, k=6)`, hybrid (dense + BM25, reciprocal rank fusion), after one warm-up query.",
        "",
        f"![retrieval latency]({LATENCY_PNG.name})",
        "",
        "| chunks | documents | no filter p50 / p95 ms | one outlet p50 / p95 ms | date window p50 / p95 ms |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in retrieval["rows"]:
        cells = " | ".join(
            f"{r[c]['p50_ms']:.1f} / {r[c]['p95_ms']:.1f}" for c in ("no filter", "one outlet", "date window")
        )
        out.append(f"| {r['chunks']:,} | {r['documents']:,} | {cells} |")
    out += [
        "",
        "How the library was built (embedding 100k chunks would take about an hour on 2 cores), exactly:",
        "",
        f"1. The clapnq corpus is cleaned and chunked as ingest does it: {retrieval['base_chunks']} base chunks, each",
        "   embedded with the default embedder (real text, real vectors).",
        "2. Each bench document joins 4 base passages (passage d and three more at offsets fixed per copy and",
        "   chosen so that no two documents share more than one passage, so none are near-duplicates of each",
        "   other), separated by blank lines. Its chunks are the base chunks",
        f"   at their new offsets; each chunk's vector is its base vector plus Gaussian noise (sigma {retrieval['noise_sigma']}",
        "   per dimension, about cosine 0.93 to the base), normalised. Outlet: one of 12; publication day: one of",
        "   4,000 days from 2014-01-01 (seeded generator).",
        "3. Written through the same APIs ingest uses: `Library.commit` (SQLite + FTS5), `VectorIndex.upsert`",
        "   (Chroma on disk), `DuplicateIndex.add`; grown 1k → 10k → 100k chunks and measured at each size.",
        f"   Building took {retrieval['build_seconds']} s in all.",
        "",
        "Filters: *one outlet* = `Filters(sources=(one of 12,))` (~8% of the library); *date window* =",
        "`Filters(since=2019-01-01, until=2021-12-31)` (~27%). Text repeats across bench documents (each base chunk",
        "appears in many of them), which makes BM25 posting lists longer than in a library of distinct articles of",
        "the same size: a pessimistic case for the sparse side.",
        "",
    ]
    return out


def _ask_section(ask: dict[str, Any] | None) -> list[str]:
    if not ask:
        return []
    out = [
        "## End-to-end `ask`, warm process",
        "",
        f"`{ask['command']}`: the clapnq library ({ask['library_chunks']} chunks); `Briefing.stream` per question after a",
        "warm-up question; *first token* = first streamed Token event, *total* = verified Answer.",
        "",
        "| generator | questions | abstained | failed | all: total p50 / p95 s | answered: total p50 / p95 s "
        "| answered: first token p50 / p95 s | warm-up s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def pair(stats: dict[str, Any] | None) -> str:
        return "-" if not stats else f"{stats['p50_ms'] / 1000:.3f} / {stats['p95_ms'] / 1000:.3f}"

    for r in ask["rows"]:
        out.append(
            f"| {r['generator']} | {r['questions']} | {r['abstained']} | {r.get('errors', 0)} | {pair(r['total'])} | "
            f"{pair(r['answered_total'])} | {pair(r.get('answered_first_token'))} | {r['warmup_s']} |"
        )
    failures = [e for r in ask["rows"] for e in r.get("error_examples", [])]
    if failures:
        out += ["", "Failed questions (examples): " + "; ".join(f"`{e[:160]}`" for e in failures)]
    out += [
        "",
        "The extractive generator streams its first sentence as soon as retrieval and sentence ranking finish;",
        "Gemma 3 270M (Q4_K_M, llama.cpp, 2 threads) first reads the top 3 passages as its prompt, so its first",
        "token waits for prompt processing. Abstentions return without generating.",
        "",
    ]
    return out


def _startup_section(startup: dict[str, Any] | None) -> list[str]:
    if not startup:
        return []
    out = [
        "## `briefing ask` from a cold shell",
        "",
        f"`{startup['command']}`: a new process per run (one discarded warm-up run, then timed runs, as hyperfine does)",
        f"on the clapnq library, question “{startup['question']}”.",
        "",
        "| command | runs | mean s | ± s | min s | max s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in startup["rows"].items():
        out.append(f"| {name} | {r['runs']} | {r['mean_s']} | {r['stdev_s']} | {r['min_s']} | {r['max_s']} |")
    out += [
        "",
        "Heavy packages a plain `ask` loads: " + (", ".join(f"`{m}`" for m in startup["heavy_loaded"]) or "none") + ".",
        "Not loaded: " + ", ".join(f"`{m}`" for m in startup["heavy_not_loaded"]) + ".",
        "",
        "Slowest top-level imports of that ask (`python -X importtime`, cumulative):",
        "",
        "| module | ms |",
        "| --- | ---: |",
    ]
    out.extend(f"| `{row['module']}` | {row['ms']} |" for row in startup["top_level_imports_ms"])
    out += [
        "",
        "With the ONNX embedder a query is embedded without importing torch, transformers or",
        "sentence-transformers (the torch row above shows what they cost); the web UI (gradio), HTML extraction",
        "(trafilatura), PDF/DOCX readers and llama.cpp load only when a command uses them.",
        "",
    ]
    return out


def _local_model_section(local: dict[str, Any] | None) -> list[str]:
    if not local or not local.get("rows"):
        return []
    out = [
        "## The local model's worker process",
        "",
        f"`{local['command']}`: Gemma 3 270M in its supervised worker, {local['rounds']} generations of 64 tokens per",
        "variant, alternating. *repack* lets llama.cpp move weights into CPU-specific buffers; it is off by default",
        "because it crashes on Intel AMX CPUs" + (" (this CPU has AMX, so it was not run)" if local.get("amx") else "") + ".",
        "",
        "| repack | start-up (spawn + load + 1 token) s | first token p50 / p95 s | tokens/s (median) |",
        "| --- | ---: | ---: | ---: |",
    ]
    base = next((r for r in local["rows"] if not r["repack"]), None)
    for r in local["rows"]:
        first = r["first"]
        out.append(
            f"| {'on' if r['repack'] else 'off (default)'} | {r['startup_s']} | "
            f"{first['p50_ms'] / 1000:.3f} / {first['p95_ms'] / 1000:.3f} | {r['tokens_per_s_median']} |"
        )
    fast = next((r for r in local["rows"] if r["repack"]), None)
    if base and fast and base["tokens_per_s_median"]:
        ratio = fast["tokens_per_s_median"] / base["tokens_per_s_median"]
        out += ["", f"Repacking is {ratio:.2f}x the default's generation speed on this CPU."]
    out.append("")
    return out


FEEDS_RSS_MIB = 1024


def _feeds_section(feeds: dict[str, Any] | None) -> list[str]:
    if not feeds:
        return []
    out = [
        "## Polling news feeds",
        "",
        f"`{feeds['command']}`: {feeds['feeds']} feeds of {feeds['items_per_feed']} items each from a local news site",
        "(the one tests/test_feeds.py uses: RSS with ETags, 304 on a matching If-None-Match); every fifth feed",
        "carries summaries only, so its articles are fetched from the entry links and extracted. Article texts",
        "are three short sentences (one chunk each). Each step is `briefing feeds …` in a fresh subprocess on one",
        "data folder; peak RSS is the child's `ru_maxrss` from `os.wait4`; *load* counts the feed entries' own",
        "work (article fetches, claims, duplicate checks) besides chunking.",
        f"Machine: {feeds['machine']['cpu']}, {feeds['machine']['cores']} cores, load average"
        f" {feeds['machine']['load_average_at_start']:.1f} at the start (shared); finished {feeds['date']}.",
        "",
        "| step | seconds | new | updated | 304s | feed requests | article requests | load / embed / write s | peak RSS MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in feeds["rows"]:
        stages = r.get("stages") or {}
        split = " / ".join(f"{stages[k]:.1f}" for k in ("load", "embed", "write")) if stages else "-"
        out.append(
            f"| {r['step']} | {r['seconds']} | {r.get('new', '-')} | {r.get('updated', '-')} | {r.get('not modified', '-')} "
            f"| {r.get('feed_requests', '-')} | {r.get('article_requests', '-')} | {split} | {r['peak_rss_mib']} |"
        )
    out += [
        "",
        f"{feeds['documents']:,} documents at the end: every entry once, each changed entry replaced in place.",
        "A poll holds one feed's parsed entries at a time and streams them through the ingest batches, so memory",
        "follows the ingest's (see the memory table above), not the number of feeds; a poll's time is one",
        "request per feed when nothing changed, and the new entries' ingest (mostly embedding) when they did.",
        "Every request is bounded by `feed_timeout`, `feed_deadline` and `feed_max_bytes`. Each feed's new entries",
        "are committed as one batch (a Chroma upsert and a SQLite transaction), so the write stage grows with the",
        "number of feeds that changed as much as with the entries; one TLS context serves every request (building",
        "one per request cost about 50 ms, most of an unchanged poll).",
        "",
    ]
    return out


def main() -> None:
    names = ("embed", "ingest", "memory", "retrieval", "ask", "startup", "local_model", "feeds")
    results = {name: load(name) for name in names}
    made = plots(results)
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(render(results), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(REPO)} and {', '.join(made) or 'no plots'}")


if __name__ == "__main__":
    main()

