"""Cold start: imports, model load, first search and first answer in a fresh process; the app from
``streamlit run`` to its chat box and to its first answer in a real browser (``bench/app_start.py``).

Every figure is a fresh process (or a fresh ``streamlit run``), repeated ``--runs`` times, median taken.
The app starts with the index already built (a restart) and on an empty data folder (the very first
start, which builds the index), beside a bare Streamlit page holding one ``st.chat_input`` started in
the same minutes: the ratio of the two chat-box times holds on a noisy machine. After the first answer
it asks a second question in the same session and one in a new browser session.

    python bench/coldstart_bench.py --runs 5 --json /tmp/coldstart.json --results bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from bench.app_start import QUESTIONS, app_probes  # noqa: E402
from bench.report import coldstart_section  # noqa: E402

common.setup_path()
#: What the app's first paint imports (app.py's own imports); none of them may pull torch or chromadb.
FIRST_PAINT_IMPORTS = ("import streamlit\nfrom answer import BACKENDS, backend_status\n"
                       "from ui.views import chat, find, gate, quiz, sidebar, state\n")
HEAVY = ("torch", "sentence_transformers", "chromadb", "langchain_core")

# Each probe runs in a fresh interpreter and prints one JSON object of seconds since its own start.
PROBES = {
    "first_paint_imports": FIRST_PAINT_IMPORTS + f"out['heavy_modules_loaded']=float(sum(m in sys.modules for m in {HEAVY!r}))",
    "imports": "import workspace, retrieval, answer",
    "model_load": "import workspace\nfrom embed import Embedder\nt=time.perf_counter()\nimport torch\n"
                  "out['import_torch']=time.perf_counter()-t\nt=time.perf_counter()\nimport sentence_transformers\n"
                  "out['import_sentence_transformers']=time.perf_counter()-t\nt=time.perf_counter()\n"
                  "e=Embedder('all-MiniLM-L6-v2', query_encoder_dir=Path('/nonexistent'))\ne.model\n"
                  "out['load_weights']=time.perf_counter()-t\n"
                  "t=time.perf_counter()\ne.encode_query('x')\nout['first_encode']=time.perf_counter()-t",
    "query_encoder_load": "from embed import Embedder\nt=time.perf_counter()\ne=Embedder('all-MiniLM-L6-v2')\n"
                          "assert e.query_encoder() is not None\nout['load_onnx']=time.perf_counter()-t\n"
                          "t=time.perf_counter()\ne.encode_query('x')\nout['first_encode']=time.perf_counter()-t\n"
                          f"out['heavy_modules_loaded']=float(sum(m in sys.modules for m in {HEAVY!r}))",
    "first_search": "from settings import load_settings\nfrom workspace import open_workspace\n"
                    "ws=open_workspace(load_settings())\nout['opened']=time.perf_counter()-T0\nt=time.perf_counter()\n"
                    f"ws.retriever.search({QUESTIONS[0]!r})\nout['first_search_with_model_load']=time.perf_counter()-t\n"
                    f"t=time.perf_counter()\nws.retriever.search({QUESTIONS[1]!r})\nout['second_search']=time.perf_counter()-t",
    "first_answer": "from settings import load_settings\nfrom workspace import open_workspace\nfrom answer import Answerer\n"
                    f"ws=open_workspace(load_settings())\nAnswerer(ws, backend='extractive').ask({QUESTIONS[0]!r})",
}


def run_probe(code: str, env: dict[str, str]) -> dict[str, float]:
    script = ("import time\nT0=time.perf_counter()\nimport json, sys\nfrom pathlib import Path\nout={}\n" + code
              + "\nout['total']=time.perf_counter()-T0\nprint(json.dumps(out))")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], cwd=common.PROJECT_ROOT, env=env, capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall"] = time.perf_counter() - start
    return result


def bench_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTEWISE_")}
    env.update(NOTEWISE_DATA_DIR=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"), HF_HUB_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false", PYTHONPATH=str(common.PROJECT_ROOT))
    return env


def build_index(env: dict[str, str]) -> None:
    """The index of the shipped notes, and the ONNX question encoder as `make install` exports it."""
    subprocess.run([sys.executable, "-m", "embed.onnx_export"], cwd=common.PROJECT_ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "cli.py", "ingest"], cwd=common.PROJECT_ROOT, env=env, check=True,
                   capture_output=True)


def library_probes(env: dict[str, str], runs: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, code in PROBES.items():
        rows = [run_probe(code, env) for _ in range(runs)]
        results[name] = {key: common.summary([r[key] for r in rows]) for key in rows[0]}
    cli = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "cli.py", "search", QUESTIONS[0]], cwd=common.PROJECT_ROOT, env=env,
                       check=True, capture_output=True)
        cli.append(time.perf_counter() - start)
    results["cli_search"] = {"process_wall": common.summary(cli)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="Fresh processes / app starts per figure (default 5).")
    parser.add_argument("--fresh-runs", type=int, default=5,
                        help="App starts on an empty data folder (each builds the index; default 5).")
    parser.add_argument("--no-app", action="store_true", help="Skip the streamlit + browser measurement.")
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    parser.add_argument("--results", type=Path, metavar="RESULTS_MD",
                        help="Replace the Cold start section of this report (bench/RESULTS.md) with these figures.")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="notewise-coldstart-"))
    env = bench_env(home)
    started = time.perf_counter()
    with common.stage("building the index once"):
        build_index(env)
    with common.stage(f"library cold starts x{args.runs}"):
        library = library_probes(env, args.runs)
    app = {"skipped": "--no-app"} if args.no_app else app_probes(bench_env, home, args.runs, args.fresh_runs)
    data = {"machine": common.machine_facts(), "library": library, "app": app,
            "seconds": time.perf_counter() - started}
    common.write_json(args.json, data)
    if args.results:
        splice_section(args.results, coldstart_section(data, {}), data)
    shutil.rmtree(home, ignore_errors=True)
    for name, figures in library.items():
        print(f"{name:14} " + "  ".join(f"{k} {v['median']:.2f} s" for k, v in figures.items()))
    for name, figures in app.items():
        if isinstance(figures, dict) and "median" not in figures:
            print(f"app {name:18} " + "  ".join(f"{k} {v['median']:.1f}" for k, v in figures.items()))
        else:
            print(f"app {name}: {figures}")


def splice_section(results: Path, section: str, data: dict[str, Any]) -> None:
    """Put ``section`` in place of the report's ``## Cold start`` section, noting when it was measured."""
    load = data["machine"]["loadavg"]
    from bench.run_all import code_version

    note = (f"Measured on {time.strftime('%Y-%m-%d %H:%M %Z')} at commit {code_version()} by `python "
            f"bench/coldstart_bench.py {' '.join(sys.argv[1:])}` in {data['seconds'] / 60:.1f} min (load average at the end "
            f"{load[0]} / {load[1]} / {load[2]} on {data['machine']['usable_cores']} cores).\n\n")
    section = section.replace("\n\n", "\n\n" + note, 1)
    text = results.read_text(encoding="utf-8")
    pattern = re.compile(r"^## Cold start\n.*?(?=^## )", re.S | re.M)
    if not pattern.search(text):
        raise SystemExit(f"{results} has no '## Cold start' section to replace")
    results.write_text(pattern.sub(lambda _: section, text, count=1), encoding="utf-8")
    print(f"wrote the Cold start section of {results}")


if __name__ == "__main__":
    main()
