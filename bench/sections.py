"""The per-benchmark sections of docs/BENCHMARKS.md, each rendered from one bench/results/NAME.json."""

from __future__ import annotations

import re
from typing import Any

from bench.common import DOCS

LATENCY_PNG = DOCS / "bench-retrieval-latency.png"
INGEST_PNG = DOCS / "bench-ingest-stages.png"


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def embed_section(embed: dict[str, Any] | None) -> list[str]:
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


def ingest_section(ingest: dict[str, Any] | None) -> list[str]:
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


def memory_section(memory: dict[str, Any] | None) -> list[str]:
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


def retrieval_section(retrieval: dict[str, Any] | None) -> list[str]:
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
        f"This run started at load average {retrieval['machine'].get('load_average_at_start', 0):.1f}. The figures move",
        "with what else the 2 shared cores are doing: on 2026-12-02 the 100k bench measured worst p50 74.8 and",
        "64.5 ms (before BM25 moved to its own thread) and 59.5 ms (after) on a busy afternoon, then 47.6 ms at",
        "18:51 (before the change below) and 26.2 ms at 20:01 (after it) on a quieter machine, so one run says",
        "little about a change of a few milliseconds. Such changes are measured interleaved on",
        "one kept library (`BENCH_RETRIEVAL_KEEP=DIR`, old and new code alternating): filter shares and the",
        "language list read once per change of the library instead of counting 100k chunks on every search saved",
        "1-3 ms at p50 that way (no filter / one outlet / date window, two rounds each: 22.6 / 29.2 / 23.6 and",
        "22.0 / 27.5 / 23.5 ms before, 19.9 / 26.1 / 22.6 and 20.4 / 26.5 / 21.4 after).",
        "",
    ]
    return out


def ask_section(ask: dict[str, Any] | None) -> list[str]:
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
        "with Gemma 3 270M (Q4_K_M, llama.cpp, 2 threads) the first sentence waits for the model to read the eight",
        "best candidate sentences and name the answer (rag/reader.py). Abstentions return without reading.",
        "",
        'The answer kinds of 2026-12-02 (definitions, counted nouns, "The act" read with its title\'s name,',
        "the sentence after that says when) measured against the code before them (b062dcc) on the same quiet",
        "machine, runs one after the other (new, old, new): answered p50 extractive 337 / 325 / 326 ms, llamacpp",
        "1284 / 1251 / 1254 ms; the second new run over the old one is 1.00 for both.",
        "",
    ]
    return out


def startup_section(startup: dict[str, Any] | None) -> list[str]:
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


def local_model_section(local: dict[str, Any] | None) -> list[str]:
    if not local or not local.get("rows"):
        return []
    out = [
        "## The local model's worker process",
        "",
        f"`{local['command']}`: Gemma 3 270M in its supervised worker, {local['rounds']} generations of 64 tokens per",
        "variant, alternating. *repack* lets llama.cpp move weights into CPU-specific buffers; it is off by default",
        "because it crashes on Intel AMX CPUs"
        + (" (this CPU has AMX, so it was not run)" if local.get("amx") else "")
        + ".",
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


def brief_section(brief: dict[str, Any] | None) -> list[str]:
    if not brief or not brief.get("rows"):
        return []
    out = [
        "## Briefs on a large library",
        "",
        f"`{brief['command']}`: news-dev's {brief['library_documents']:,} articles; broad topics that match hundreds of",
        "passages. `max_passages` bounds what a brief reads (default 80); every quoted sentence is checked against",
        "its passage before it is kept. Peak RSS of the whole run: "
        + f"{brief['peak_rss_mib']} MiB; load average "
        + f"{brief['machine']['load_average_at_start']:.1f} when it started (a busy machine: seconds are upper bounds).",
        "",
        "| topic | passages read | seconds | sections | sentences | dropped | documents cited | outlets |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in brief["rows"]:
        out.append(
            f"| {r['topic']} | {r['passages_read']} | {r['seconds']} | {', '.join(r['sections'])} | {r['sentences']} | "
            f"{r['dropped']} | {r['documents_cited']} | {r['outlets_cited']} |"
        )
    defaults = [r["seconds"] for r in brief["rows"] if r["max_passages"] == 80]
    if defaults:
        out += [
            "",
            f"With the default bound the slowest brief took {max(defaults)} s; time grows with the bound,",
            "not with how many passages match the topic.",
        ]
    out.append("")
    return out


def feeds_section(feeds: dict[str, Any] | None) -> list[str]:
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
