"""``make bench``: how long the book takes to build and to check, measured in one run.

Everything runs on a throw-away copy of the project (the working tree is never touched),
with this venv and ``PYTHONPATH`` on the copy:

  floor          every chapter notebook executed once in each language of the book (en, vi),
                 serially, by nbclient (``bentre.book.build.execute_notebook``): the least
                 any build of both editions can cost
  cold html      ``make html`` on a copy without ``_build``: both editions (validate,
                 cache-guard, the notebooks one per core into each edition's execution
                 cache, jupyter-book)
  no change      ``make html`` again
  edit prose     ``make html`` after a word is added to one markdown cell of one chapter
  edit code      ``make html`` after a comment is added to one code cell of one chapter
  edit data      ``make html`` after a free-text note in data/figures.csv changed
  nbval          ``pytest --nbval chapters`` (strict, as make test runs it)
  pdf            ``make pdf`` after the HTML (when XeLaTeX is installed)

and the weight of every page of the copy's book (issue 13): each page opened in Chromium
from a plain server on 127.0.0.1 (nothing compressed, a first visit), the bytes of every
request it makes (HTML, CSS, JS, fonts, images), against the limit of 1 MB a page.

It prints seconds, the ratio to the floor and how many notebooks each step executed, checks
the targets of issue 6, and writes everything to ``_build/bench.json``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bentre.book import build

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# a notebook run by the build itself (myst-nb), or before it by `bentre.book.build fill-cache`
# ("chapters/x.ipynb: executed into the vi cache": one line per edition that ran it)
EXECUTING = re.compile(r"^(\S+\.ipynb): (?:Executing notebook|executed into the (?:\w+ )?cache)",
                       re.M)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TARGETS = {
    "cold html / floor": 1.3,
    "no change (s)": 3.0,
}


def copy_project(target: Path) -> Path:
    return build.copy_project(target, ROOT)


def run(root: Path, *args: str) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if k != "BENTRE_ROOT"}
    env["PYTHONPATH"] = str(root)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    output = ANSI.sub("", result.stdout + result.stderr)
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed ({result.returncode}):\n{output[-4000:]}")
    return seconds, output


def make(root: Path, target: str) -> tuple[float, str]:
    venv = BIN.parent
    return run(root, "make", "--no-print-directory", target, f"VENV={venv}",
               "-o", f"{venv}/.installed")


def executed(output: str) -> list[str]:
    return sorted(Path(p).name for p in EXECUTING.findall(output))


def edit_notebook(path: Path, cell_type: str, text: str) -> None:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == cell_type)
    cell.source += text
    nbformat.write(nb, path)


LANGS = ("en", "vi")


def floor(root: Path) -> tuple[float, dict[str, float]]:
    """Serial nbclient execution of every chapter in every language, timed notebook by
    notebook in one process (the process start is not part of the floor)."""
    code = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from bentre.book.build import chapter_notebooks, execute_notebook\n"
        "from bentre.i18n import set_language\n"
        "times = {}\n"
        f"for lang in {LANGS!r}:\n"
        "    set_language(lang)  # the kernels inherit BENTRE_LANG\n"
        "    for nb in chapter_notebooks():\n"
        "        t = time.perf_counter(); execute_notebook(nb)\n"
        "        times[f'{lang}/{nb.name}'] = time.perf_counter() - t\n"
        "print('TIMES' + json.dumps(times))\n"
    )
    _, output = run(root, str(BIN / "python"), "-c", code)
    times = json.loads(output.split("TIMES", 1)[1].splitlines()[0])
    return sum(times.values()), times


MAX_PAGE_BYTES = 1_000_000
CHROMIUM = "/usr/bin/chromium"


def page_weights(html: Path) -> dict[str, dict[str, int]] | None:
    """``page -> {bytes, requests}`` for every page of a built book, uncompressed, as a
    browser opening it for the first time loads it (None without Chromium)."""
    import functools
    import http.server
    import threading

    if not Path(CHROMIUM).is_file():
        return None
    from playwright.sync_api import sync_playwright

    skip = {"_sources", "_static", "_downloads", "_images"}
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                   if not skip & set(p.relative_to(html).parts))
    class Quiet(http.server.SimpleHTTPRequestHandler):  # plain: nothing compressed
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    weights = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-quic", "--no-first-run",
                "--disable-sync"])
            for page_name in pages:
                context = browser.new_context()  # an empty cache: a first visit
                page, finished = context.new_page(), []
                page.on("requestfinished", lambda request: finished.append(request))
                page.goto(f"{origin}/{page_name}", wait_until="networkidle")
                weights[page_name] = {
                    # served uncompressed: the body on the wire is the file
                    "bytes": sum(r.sizes()["responseBodySize"] for r in finished),
                    "requests": len(finished)}
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return weights


def main() -> int:
    rows: list[dict] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bentre-bench-") as tmp:
        root = copy_project(Path(tmp) / "project")
        notebooks = sorted(p.name for p in (root / "chapters").glob("*.ipynb"))

        floor_s, per_notebook = floor(root)
        # the floor run rewrote the notebooks (the last in Vietnamese): start from the sources
        shutil.rmtree(root)
        root = copy_project(Path(tmp) / "project")

        def step(name: str, seconds: float, output: str | None = None, **extra):
            row = {"step": name, "seconds": round(seconds, 2),
                   "ratio_to_floor": round(seconds / floor_s, 2)}
            if output is not None:
                row["executed"] = executed(output)
            row.update(extra)
            rows.append(row)
            shown = f"{len(row['executed'])} executed" if "executed" in row else ""
            print(f"  {name:<12} {seconds:7.1f} s  {row['ratio_to_floor']:5.2f} x floor  {shown}",
                  flush=True)
            return row

        print(f"bench on a copy in {root} ({len(notebooks)} notebooks, {os.cpu_count()} cores)")
        step("floor", floor_s, per_notebook={k: round(v, 2) for k, v in per_notebook.items()})
        cold = step("cold html", *make(root, "html"))
        step("no change", *make(root, "html"))
        weights = page_weights(root / "_build" / "html")
        vi_weights = page_weights(root / "_build" / "vi" / "html")
        if weights is not None and vi_weights is not None:
            weights.update({f"vi/{name}": w for name, w in vi_weights.items()})
        if weights is None:
            print("  page weights (no Chromium: `make browser` installs it)")
        else:
            print("  page weights, uncompressed, every request of a first visit:")
            for name, weight in weights.items():
                print(f"    {name:<36} {weight['bytes']:>10,} bytes  "
                      f"{weight['requests']:>3} requests")

        chapter = root / "chapters" / notebooks[0]
        edit_notebook(chapter, "markdown", "\n\nAn added sentence.")
        step("edit prose", *make(root, "html"), edited=chapter.name)
        edit_notebook(chapter, "code", "\n# an added comment")
        step("edit code", *make(root, "html"), edited=chapter.name)

        figures = root / "data" / "figures.csv"
        text = figures.read_text(encoding="utf-8")
        # a note (free text, no number, no comma: an unquoted cell): every chapter re-executes
        figures.write_text(text.replace("Rounded to a whole percent.",
                                        "Rounded to a whole percent as printed.", 1),
                           encoding="utf-8")
        assert figures.read_text(encoding="utf-8") != text, "no free text to edit"
        step("edit data", *make(root, "html"))

        seconds, output = run(root, str(BIN / "pytest"), "-p", "no:cacheprovider", "-q",
                              "--nbval", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                              "chapters")
        step("nbval", seconds, tail=output.strip().splitlines()[-1])

        if shutil.which("xelatex") and shutil.which("latexmk"):
            step("pdf", *make(root, "pdf"))
        else:
            print("  pdf          (XeLaTeX not installed: `make pdf` installs it)")

    by_step = {r["step"]: r for r in rows}
    checks = {
        "cold html <= 1.3 x floor": cold["ratio_to_floor"] <= 1.3,
        "no change <= 3 s": by_step["no change"]["seconds"] <= 3.0,
        "edit prose re-executes nothing": by_step["edit prose"]["executed"] == [],
        "edit code re-executes that chapter only, in each language":
            by_step["edit code"]["executed"] == [chapter.name] * len(LANGS),
        "edit data re-executes every chapter, in each language":
            by_step["edit data"]["executed"] == sorted(notebooks * len(LANGS)),
    }
    if weights is not None:
        checks["every page <= 1 MB uncompressed"] = all(
            w["bytes"] <= MAX_PAGE_BYTES for w in weights.values())
    browser_weights = ROOT / "_build" / "page-weights.json"
    report = {
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "notebooks": notebooks,
        "steps": rows,
        "targets": checks,
        "page_weights": weights,
        # what tests/test_browser.py measured of _build/html at its last run (on the wire)
        "browser_test_page_weights": json.loads(browser_weights.read_text())
        if browser_weights.is_file() else None,
    }
    print("\ntargets:")
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {name}")
    out = ROOT / "_build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
