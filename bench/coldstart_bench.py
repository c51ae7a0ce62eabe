"""Cold start: imports, model load, first search and first answer in a fresh process; the app from
``streamlit run`` to its first answer in a real browser, and what its caches keep across reruns.

Every figure is a fresh process (or a fresh ``streamlit run``), repeated ``--runs`` times, median taken.
The app is driven by playwright with Debian's chromium (/usr/bin/chromium; never ``playwright install``)
on 127.0.0.1: with the index already built (a restart), and on an empty data folder (the very first
start, which builds the index). After the first answer it asks a second question in the same session
(a rerun: ``st.cache_resource`` keeps the model and index) and one in a new browser session.

    python bench/coldstart_bench.py --runs 5 --json /tmp/coldstart.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.setup_path()
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
QUESTIONS = ["What is Parquet, and which Amazon query engine is it mentioned with?", "When is CloudFormation used?"]

# Each probe runs in a fresh interpreter and prints one JSON object of seconds since its own start.
PROBES = {
    "imports": "import workspace, retrieval, answer",
    "model_load": "import workspace\nfrom store import Embedder\nt=time.perf_counter()\nimport torch\n"
                  "out['import_torch']=time.perf_counter()-t\nt=time.perf_counter()\nimport sentence_transformers\n"
                  "out['import_sentence_transformers']=time.perf_counter()-t\nt=time.perf_counter()\n"
                  "e=Embedder('all-MiniLM-L6-v2')\ne.model\nout['load_weights']=time.perf_counter()-t\n"
                  "t=time.perf_counter()\ne.encode_query('x')\nout['first_encode']=time.perf_counter()-t",
    "first_search": "from settings import load_settings\nfrom workspace import open_workspace\n"
                    "ws=open_workspace(load_settings())\nout['opened']=time.perf_counter()-T0\nt=time.perf_counter()\n"
                    f"ws.retriever.search({QUESTIONS[0]!r})\nout['first_search_with_model_load']=time.perf_counter()-t\n"
                    f"t=time.perf_counter()\nws.retriever.search({QUESTIONS[1]!r})\nout['second_search']=time.perf_counter()-t",
    "first_answer": "from settings import load_settings\nfrom workspace import open_workspace\nfrom answer import Answerer\n"
                    f"ws=open_workspace(load_settings())\nAnswerer(ws, backend='extractive').ask({QUESTIONS[0]!r})",
}


def run_probe(code: str, env: dict[str, str]) -> dict[str, float]:
    script = ("import time\nT0=time.perf_counter()\nimport json, sys\nout={}\n" + code
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


# ---- the app ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout} s")


def ask_and_wait(page: Any, question: str, reply_index: int) -> None:
    """Type a question; return when the answer's first citation is on the page (the answer is complete)."""
    box = page.get_by_placeholder("Ask your notes…")
    box.wait_for(timeout=600_000)
    box.fill(question)
    box.press("Enter")
    page.get_by_test_id("stChatMessage").nth(reply_index).get_by_test_id("stExpander").first.wait_for(timeout=600_000)


def app_run(env: dict[str, str], browser: Any) -> dict[str, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    marks: dict[str, float] = {}
    start = time.perf_counter()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "streamlit"), "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=common.PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(url, server)
        marks["server_up"] = time.perf_counter() - start
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(url)
        page.get_by_placeholder("Ask your notes…").wait_for(timeout=600_000)
        marks["chat_ready"] = time.perf_counter() - start
        ask_and_wait(page, QUESTIONS[0], 1)
        marks["first_answer"] = time.perf_counter() - start
        t = time.perf_counter()
        ask_and_wait(page, QUESTIONS[1], 3)
        marks["second_answer_same_session"] = time.perf_counter() - t
        context.close()
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        t = time.perf_counter()
        page.goto(url)
        ask_and_wait(page, QUESTIONS[0], 1)
        marks["new_session_first_answer"] = time.perf_counter() - t
        context.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return marks


def app_probes(home: Path, runs: int, fresh_runs: int) -> dict[str, Any]:
    if not (common.PROJECT_ROOT / "app.py").is_file() or not CHROMIUM.exists():
        return {"skipped": "needs app.py and /usr/bin/chromium"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed"}
    env = bench_env(home)
    out: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        with common.stage(f"app restart with a built index x{runs}"):
            rows = [app_run(env, browser) for _ in range(runs)]
        out["index_built"] = {k: common.summary([r[k] for r in rows]) for k in rows[0]}
        fresh = []
        for n in range(fresh_runs):
            fresh_home = home / f"fresh-{n}"
            with common.stage(f"app first start on an empty data folder {n + 1}/{fresh_runs}"):
                fresh.append(app_run(bench_env(fresh_home), browser))
            shutil.rmtree(fresh_home, ignore_errors=True)
        if fresh:
            out["empty_data_folder"] = {k: common.summary([r[k] for r in fresh]) for k in fresh[0]}
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="Fresh processes / app starts per figure (default 5).")
    parser.add_argument("--fresh-runs", type=int, default=2,
                        help="App starts on an empty data folder (each builds the index; default 2).")
    parser.add_argument("--no-app", action="store_true", help="Skip the streamlit + browser measurement.")
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="notewise-coldstart-"))
    env = bench_env(home)
    started = time.perf_counter()
    with common.stage("building the index once"):
        build_index(env)
    with common.stage(f"library cold starts x{args.runs}"):
        library = library_probes(env, args.runs)
    app = {"skipped": "--no-app"} if args.no_app else app_probes(home, args.runs, args.fresh_runs)
    data = {"machine": common.machine_facts(), "library": library, "app": app,
            "seconds": time.perf_counter() - started}
    common.write_json(args.json, data)
    shutil.rmtree(home, ignore_errors=True)
    for name, figures in library.items():
        print(f"{name:14} " + "  ".join(f"{k} {v['median']:.2f} s" for k, v in figures.items()))
    for name, figures in app.items():
        if isinstance(figures, dict):
            print(f"app {name:18} " + "  ".join(f"{k} {v['median']:.1f} s" for k, v in figures.items()))
        else:
            print(f"app: {figures}")


if __name__ == "__main__":
    main()
