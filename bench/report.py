"""Turn the benchmarks' JSON into bench/RESULTS.md: targets first, then every table, then the findings."""

from __future__ import annotations

from typing import Any

Row = list[str]


def table(header: Row, rows: list[Row]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.1f} ms"


def sec(seconds: float | None, digits: int = 2) -> str:
    return "–" if seconds is None else f"{seconds:.{digits}f} s"


def num(value: float | None, fmt: str = ".2f") -> str:
    return "–" if value is None else format(value, fmt)


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**missed**")


def data_of(steps: dict[str, Any], name: str) -> dict[str, Any] | None:
    step = steps.get(name) or {}
    return step.get("data")


def by_scale(data: dict[str, Any] | None) -> dict[int, dict[str, Any]]:
    return {s["scale"]: s for s in (data or {}).get("scales", [])}


# ---- sections ------------------------------------------------------------------------------
def header(meta: dict[str, Any]) -> str:
    m = meta["machine"]
    v = m["versions"]
    load = meta["load"]
    return (
        "# Notewise benchmarks\n\n"
        f"Written by `bench/run_all.py` on {meta['finished']}; the run took {meta['seconds'] / 60:.1f} min.\n"
        f"Command: `{meta['command']}` at commit {meta.get('code', 'unknown')}. Medians over {meta['runs']} runs/rounds unless a row says otherwise "
        f"(100x ingest: {meta['runs_large']} run).\n\n"
        f"**Machine**: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {m['ram_gib']} GiB RAM, "
        f"{m['os']}, GPU: {m['gpu'] or 'none'}.\n"
        f"Python {v['python']}, torch {v['torch']}, sentence-transformers {v['sentence-transformers']}, "
        f"transformers {v['transformers']}, tokenizers {v['tokenizers']}, chromadb {v['chromadb']}, "
        f"langchain-text-splitters {v['langchain-text-splitters']}, streamlit {v['streamlit']}.\n\n"
        f"**Load during the run** (1-minute load average, sampled every 10 s): min {load['min']:.1f}, "
        f"median {load['median']:.1f}, max {load['max']:.1f} on {m['cores']} cores. Other engineers' tests "
        "shared these cores, so absolute times are inflated and noisy; side-by-side ratios were measured in "
        "the same process minutes apart and are the steadier figures.\n\n")


def targets(steps: dict[str, Any]) -> str:
    ingest, query = by_scale(data_of(steps, "ingest")), by_scale(data_of(steps, "query"))
    gpu = data_of(steps, "gpu")
    rows: list[Row] = []

    def search_p50(scale: int) -> float | None:
        return query[scale]["search_s"]["median"] if scale in query else None

    for scale, limit in ((1, 0.030), (100, 0.100)):
        p50 = search_p50(scale)
        rows.append([f"Search p50 at {scale}x", f"≤ {limit * 1000:.0f} ms", ms(p50),
                     verdict(None if p50 is None else p50 <= limit)])
    for scale, r in sorted(ingest.items()):
        ratio = r["ingest_over_encode"]
        plain = r.get("ingest_over_plain_encode")
        rows.append([f"Ingest / encode alone at {scale}x", "≤ 1.3", f"{ratio:.2f} (vs plain fp32 encode: {num(plain)})",
                     verdict(ratio <= 1.3)])
    for scale, r in sorted(ingest.items()):
        share = r["incremental_over_full"]
        rows.append([f"Re-ingest after 1% of files changed, {scale}x ({r['changed_files']} of {r['files']} files)",
                     "≤ 5% of full", f"{share:.1%} ({sec(r['incremental_s']['median'])})", verdict(share <= 0.05)])
    for scale, r in sorted(ingest.items()):
        unchanged = r["unchanged_s"]["median"]
        rows.append([f"Re-ingest, nothing changed, {scale}x", "≤ 2 s", sec(unchanged, 3), verdict(unchanged <= 2)])
    for scale in sorted(query):
        answer, repeat = query[scale].get("answer_s"), query[scale].get("answer_repeat_s")
        prepared = query[scale].get("answer_prepared_s")
        shown = ms(prepared["median"]) + " first ask (prepared); " if prepared else ""
        shown += ms(answer["median"] if answer else None) + " first ask (unprepared)"
        if repeat:
            shown += f"; {ms(repeat['median'])} repeated"
        judged = prepared or answer
        rows.append([f"Extractive answer p50 at {scale}x (warm process)", "≤ 100 ms", shown,
                     verdict(None if not judged else judged["median"] <= 0.1)])
    local = data_of(steps, "local")
    if local and not local.get("skipped") and local.get("first_piece_s"):
        rows.append(["Time to first token, `local` backend", "reported (no floor)",
                     f"{sec(local['first_piece_s']['median'])} p50; {sec(local['first_question']['first_piece_s'])} "
                     "for the first question after loading", ""])
    app = (data_of(steps, "coldstart") or {}).get("app", {})
    for case, column, limit in COLDSTART_TARGETS:
        if case in app:
            measured = app[case][column]["median"]
            rows.append([f"App {APP_FIGURES[column]} ({case.replace('_', ' ')})", f"≤ {limit:g} s", sec(measured, 1),
                         verdict(measured <= limit)])
    cuda = (gpu or {}).get("ingest_cuda")
    rows.append(["100x ingest on the H200", "≥ 20,000 chunks/s (3x plain encode)",
                 f"{cuda['chunks_per_s']:,.0f} chunks/s" if cuda else "no GPU in this session",
                 verdict(None if not cuda else cuda["chunks_per_s"] >= 20_000)])
    return "## Targets (the issues' \"Must show\")\n\n" + table(["Figure", "Target", "Measured", ""], rows) + "\n"


def ingest_section(data: dict[str, Any] | None, step: dict[str, Any]) -> str:
    if not data:
        return f"## Ingest\n\nNot run ({step.get('returncode', 'skipped')}).\n\n"
    rows = []
    for r in data["scales"]:
        rows.append([f"{r['scale']}x", f"{r['files']}", f"{r['chunks']:,}", f"{r['texts_encoded']:,}",
                     sec(r["ingest_s"]["median"]), f"{r['chunks_per_s']:.1f}", sec(r["encode_s"]),
                     sec(r.get("plain_encode_s")), f"{r['ingest_over_encode']:.2f}", num(r.get("ingest_over_plain_encode")),
                     f"{r['encode_share_of_ingest']:.0%}", sec(r["unchanged_s"]["median"], 3),
                     f"{sec(r['incremental_s']['median'])} ({r['incremental_over_full']:.1%})",
                     f"{len(r['runs'])}"])
    return ("## Ingest (CPU)\n\n"
            "Full ingest into a fresh index; then, over exactly the texts that ingest encoded (chunks and their "
            "lines), `Embedder.encode` alone and plain float32 `SentenceTransformer.encode` (batch 64). "
            "Then a re-ingest with nothing changed, and one after 1% of the files had one line edited. "
            f"Step took {step['seconds'] / 60:.1f} min, load median {step['load']['median']:.1f}.\n\n"
            + table(["Scale", "Files", "Chunks", "Texts encoded", "Ingest", "Chunks/s", "Encode alone",
                     "Plain encode", "Ingest/encode", "Ingest/plain", "Encode share", "Unchanged",
                     "1% changed (of full)", "Runs"], rows) + "\n")


def query_section(data: dict[str, Any] | None, step: dict[str, Any]) -> str:
    if not data:
        return f"## Query latency\n\nNot run ({step.get('returncode', 'skipped')}).\n\n"
    rows = []
    for r in data["scales"]:
        a, again, ready = r.get("answer_s"), r.get("answer_repeat_s"), r.get("answer_prepared_s")
        rows.append([f"{r['scale']}x", f"{r['chunks']:,}", ms(r["search_s"]["median"]), ms(r["search_s"]["p95"]),
                     ms(ready["median"] if ready else None), ms(ready["p95"] if ready else None),
                     sec(r.get("prepare_seconds")),
                     ms(a["median"] if a else None), ms(a["p95"] if a else None),
                     ms(again["median"] if again else None), f"{r['peak_rss_mib']:.0f} MiB",
                     f"{r['python_heap_peak_mib']:.1f} MiB", f"{r['search_s']['n']}"])
    return ("## Query latency (warm, CPU)\n\n"
            "Every eval question (with its history) searched and answered (extractive backend, a new `Answerer` "
            "per question as the app does) once per round after a warm-up on three other questions; each scale "
            "in its own process. \"First ask, prepared\": after `prepare_answers` (run by `ingest` and the app "
            "after indexing; its time is the Prepare column) with the in-process vectors dropped, so line vectors "
            "come from the cache on disk; \"unprepared\": round 1 with that cache emptied, so a question's "
            "candidate lines are embedded as it is asked; \"repeat\": later rounds. "
            f"Step took {step['seconds'] / 60:.1f} min, load median {step['load']['median']:.1f}.\n\n"
            + table(["Scale", "Chunks", "Search p50", "Search p95", "Answer p50 (first ask, prepared)",
                     "p95 (prepared)", "Prepare", "Answer p50 (first ask, unprepared)", "p95 (unprepared)",
                     "Answer p50 (repeat)",
                     "Peak RSS", "Python heap peak", "Samples"], rows) + "\n")


def quality_section(data: dict[str, Any] | None, step: dict[str, Any]) -> str:
    if not data:
        return f"## Quality\n\nNot run ({step.get('returncode', 'skipped')}).\n\n"
    p, t, k = data["project"], data["textbook"], data["k"]
    rows = []
    for kind in ["all", "lookup", "paraphrase", "multi", "followup"]:
        if kind in t["scores"]:
            ps, ts, ratio = p["scores"][kind], t["scores"][kind], data["ratios"][kind]
            rows.append([kind, f"{ps['n']}"] + [f"{ps[m]:.3f} / {ts[m]:.3f} ({num(ratio[m])}x)"
                                                for m in ("hit@1", f"hit@{k}", "mrr")])
    timing = table(["", "This project", "Textbook", "Ratio"], [
        ["Chunks", f"{p['chunks']}", f"{t['chunks']}", ""],
        ["Index build", sec(p["build_s"]), sec(t["build_s"]), f"{p['build_s'] / t['build_s']:.2f}x"],
        ["Query p50", ms(p["query_s"]["median"]), ms(t["query_s"]["median"]), f"{data['latency_ratio']:.2f}x"]])
    return ("## Retrieval quality side by side (dev.jsonl, default notes)\n\n"
            "This project's `Retriever.search` against the textbook LangChain pipeline "
            "(RecursiveCharacterTextSplitter 1000/200, all-MiniLM-L6-v2, plain Chroma, similarity top 5, "
            "follow-ups without history), same model and notes, one run. Cells: project / textbook (ratio).\n\n"
            + table(["Kind", "n", "hit@1", f"hit@{k}", "MRR"], rows) + "\n" + timing
            + "\nCross-check with `../shared/eval/score_hits.py` on the same hits:\n\n```\nproject:\n"
            + p["official"] + "\ntextbook:\n" + t["official"] + "\n```\n\n")


COLDSTART_LABELS = {"first_paint_imports": "The app's first-paint imports (`app.py`'s own)",
                    "imports": "`import workspace, retrieval, answer`", "model_load": "Import + load the model (torch)",
                    "query_encoder_load": "Import + load the ONNX query encoder (what a question needs)",
                    "first_search": "Open the index, then the first search",
                    "first_answer": "Open + first extractive answer",
                    "cli_search": "`python cli.py search QUESTION` (whole process)"}
#: Issue 14's cold-start targets: (case, figure, limit in seconds).
COLDSTART_TARGETS = (("index_built", "chat_ready", 3.0), ("index_built", "first_answer", 6.0),
                     ("empty_data_folder", "first_answer", 20.0))
APP_CASES = (("bare_page", "Bare Streamlit page, one `st.chat_input`"), ("index_built", "App restart, index built"),
             ("empty_data_folder", "App first start, empty data folder"))
APP_FIGURES = {"chat_ready": "chat box visible", "first_answer": "first answer shown"}
APP_COLUMNS = ("server_up", "chat_ready", "first_answer", "second_answer_same_session", "new_session_first_answer")


def coldstart_section(data: dict[str, Any] | None, step: dict[str, Any]) -> str:
    if not data:
        return f"## Cold start\n\nNot run ({step.get('returncode', 'skipped')}).\n\n"
    rows = [[COLDSTART_LABELS.get(name, name), ", ".join(figure(k, v["median"]) for k, v in figs.items())]
            for name, figs in data["library"].items()]
    out = ("## Cold start\n\nEach row: fresh processes, median. Times inside a process count from its first line; "
           "`process wall` includes the interpreter's start.\n\n" + table(["What", "Median"], rows) + "\n")
    app = data["app"]
    if "skipped" in app:
        return out + f"App: not measured ({app['skipped']}).\n\n"
    return out + app_start_tables(app)


def figure(key: str, value: float) -> str:
    if key == "heavy_modules_loaded":
        return f"torch, sentence-transformers, chromadb, langchain imported: {value:g}"
    return f"{key.replace('_', ' ')} {sec(value)}"


def app_start_tables(app: dict[str, Any]) -> str:
    rows = []
    for name, label in APP_CASES:
        if name in app:
            a = app[name]
            rows.append([label] + [sec(a[c]["median"], 1) if c in a else "–" for c in APP_COLUMNS]
                        + [f"{a['chat_ready']['n']}"])
    ratio = app.get("chat_ready_over_bare")
    checks = [[f"{'Restart, index built' if case == 'index_built' else 'Empty data folder'}: "
               f"{APP_FIGURES[column]}", f"≤ {limit:g} s", sec(app[case][column]["median"], 1),
               verdict(app[case][column]["median"] <= limit)]
              for case, column, limit in COLDSTART_TARGETS if case in app]
    if ratio:
        checks.insert(1, ["Restart, index built: chat box ÷ bare page (paired starts)", "≤ 2", f"{ratio['median']:.2f}",
                          verdict(ratio["median"] <= 2)])
    shown = app.get("empty_data_folder", {}).get("loading_status_shown")
    if shown:
        checks.append(["Empty data folder: loading status on the page when the chat box appears", "always",
                       f"{shown['min']:.0%} of starts", verdict(shown["min"] == 1)])
    return ("`streamlit run` → chromium (playwright), seconds from the command, medians; the question is typed as "
            "soon as the chat box shows and waits for the notes if they are still loading:\n\n"
            + table(["Start", "Server up", "Chat box visible", "First answer shown", "2nd answer, same session",
                     "New session: load + answer", "Runs"], rows)
            + "\n" + table(["Target (issue 14)", "Target", "Measured", ""], checks)
            + "\nThe page and the chat box paint before anything loads: the workspace (Chroma, the catalog), the "
              "question encoder (ONNX Runtime; torch where the model has no ONNX export) and the index sync load "
              "in a background thread (`ui/loading.py`), once per "
              "process, shared by reruns and sessions; a progress status shows meanwhile. A new `streamlit run` "
              "starts cold again.\n\n")


def local_section(data: dict[str, Any] | None, step: dict[str, Any]) -> str:
    if not data:
        return f"## The local backend\n\nNot run ({step.get('returncode', 'skipped')}).\n\n"
    if data.get("skipped"):
        return f"## The local backend\n\nSkipped: {data['skipped']}\n\n"
    first, later, speed = data["first_question"], data.get("first_piece_s"), data.get("pieces_per_s")
    rows = [["Model load", sec(data["load_s"])],
            ["First token, first question (llama.cpp evaluates the system prompt once)", sec(first["first_piece_s"])],
            ["First token p50, later questions", sec(later["median"] if later else None)],
            ["Answer p50, later questions", sec(data["total_s"]["median"] if data.get("total_s") else None)],
            ["Pieces (tokens) per second while writing, p50", num(speed["median"] if speed else None, ".0f")],
            ["Answers the model's own (else extractive, marked)", f"{data['model_wrote']} of {data['questions']}"]]
    return ("## The local backend (SmolLM2-135M-Instruct through llama.cpp, CPU)\n\n"
            "`bench/local_bench.py`: one answerer, the model loaded once, then the first answerable eval "
            f"questions asked once each. Step took {step['seconds'] / 60:.1f} min.\n\n"
            + table(["Figure", "Measured"], rows) + "\n")


def gpu_section(data: dict[str, Any] | None, step: dict[str, Any]) -> str:
    if not data:
        return ("## GPU path\n\nNot measured: this session had no GPU (the device tool said the task was not drawn, "
                "and `torch.cuda.is_available()` is False here). `bench/gpu_bench.py` is ready: on a CUDA machine, "
                "`python bench/gpu_bench.py --json gpu.json`, then `python bench/run_all.py --gpu-json gpu.json` "
                "(or `--skip ingest,query,quality,coldstart --gpu-json gpu.json`) puts the figures here. It needs a "
                "CUDA build of torch there (this checkout's venv has a CPU-only one) and is sized for one 10-minute slot (not verified): "
                "100x on the GPU, the CPU comparison at 10x (`--cpu-scale`); `--dry-run-on-cpu --scale 1 "
                "--cpu-scale 1` checks the script itself (it ran here).\n\n")
    rows = []
    for name in ("encode_300_chars", "encode_chunks"):
        e = data[name]
        rows.append([name, f"{e['texts']:,}", f"{e['plain_fp16_b128']['per_s']:,.0f}", f"{e['plain_fp16_b512']['per_s']:,.0f}",
                     f"{e['pipelined']['per_s']:,.0f}", f"{e['pipelined_over_plain_b512']:.2f}x"])
    out = ("## GPU path\n\n" + f"Machine: {data['machine']['gpu']}, {data['machine']['cores']} cores.\n\n"
           + table(["Texts", "n", "Plain fp16 b128 /s", "Plain fp16 b512 /s", "Pipelined /s", "Ratio"], rows) + "\n")
    rows = [[r["device"], f"{r['chunks']:,}", f"{r['texts_encoded']:,}", sec(r["seconds"]), f"{r['chunks_per_s']:,.0f}",
             sec(r["encode_s"]), sec(r["rest_s"])]
            for r in (data.get("ingest_cuda"), data.get("ingest_cpu")) if r]
    return out + table(["Ingest on", "Chunks", "Texts", "Time", "Chunks/s", "In embedder", "Rest"], rows) + "\n"


def reruns(steps: dict[str, Any]) -> str:
    lines = [f"- `{name}` was re-run on {step['rerun']} (load median {step['load']['median']:.1f})."
             for name, step in steps.items() if step.get("rerun")]
    return ("Steps re-run after the full run (their figures replace the full run's):\n\n" + "\n".join(lines) + "\n\n"
            if lines else "")


def render(meta: dict[str, Any], steps: dict[str, Any], findings: str) -> str:
    parts = [header(meta) + reruns(steps), targets(steps),
             ingest_section(data_of(steps, "ingest"), steps.get("ingest", {})),
             query_section(data_of(steps, "query"), steps.get("query", {})),
             quality_section(data_of(steps, "quality"), steps.get("quality", {})),
             coldstart_section(data_of(steps, "coldstart"), steps.get("coldstart", {})),
             local_section(data_of(steps, "local"), steps.get("local", {})),
             gpu_section(data_of(steps, "gpu"), steps.get("gpu", {}))]
    if findings.strip():
        parts.append(findings.strip() + "\n")
    return "\n".join(p.rstrip() + "\n" for p in parts)
