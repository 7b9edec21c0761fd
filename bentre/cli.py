"""``python -m bentre COMMAND``: the project's verbs that are not Make's.

- ``validate``     check every table against the descriptor and the article;
- ``execute``      run notebooks with nbclient and store their outputs (deterministically);
- ``cache-guard``  drop the book's execution cache when ``data/`` or ``bentre/`` changed;
- ``audit``        run every check of ``bentre.checks`` (``--json`` for all fields and values,
                   ``--csv PATH`` to also write them as CSV), counting informative and
                   bookkeeping checks apart; exit code 1 if any check fails;
- ``student``      write the student edition under ``_build/student/``: the chapter notebooks
                   without solutions, and the HTML with solutions hidden (``bentre.book.student``).
"""

from __future__ import annotations

import argparse
import sys

from . import data
from .paths import relative


def cmd_validate(args) -> int:
    counts, problems = data.validate_all()
    for name in data.table_names():
        file = relative(data.table_path(name))
        mine = [p for p in problems if file in p.file]
        if mine:
            print(f"{file}: {len(mine)} problem(s)")
        elif name in counts and not problems:
            print(f"{file}: ok, {counts[name]} rows")
        else:
            print(f"{file}: no problem of its own ({counts.get(name, 0)} rows); "
                  "cross-table checks wait for the others")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    return 0


def cmd_execute(args) -> int:
    from .book import build

    for path in build.execute_notebooks(args.notebooks or None):
        print(f"executed {relative(path)}")
    return 0


def cmd_cache_guard(args) -> int:
    from .book import build

    from .paths import build_dir

    first = not (build_dir() / build.FINGERPRINT).is_file()
    dropped, fingerprint = build.cache_guard()
    state = ("dropped (inputs changed)" if dropped
             else "started (no earlier record of its inputs)" if first
             else "kept (inputs unchanged)")
    print(f"execution cache {state}; inputs fingerprint {fingerprint[:12]}")
    return 0


def cmd_audit(args) -> int:
    import shutil
    import textwrap

    from . import checks

    results = checks.run_all()
    if args.csv:
        from . import audit

        path = audit.write_csv(results, args.csv)
        print(f"wrote {path} ({len(results)} checks)", file=sys.stderr)
    if args.json:
        print(checks.to_json(results))
        return checks.exit_code(results)
    id_width = max(len(r.id) for r in results)
    kinds = {could_fail: kind for kind, could_fail in checks.POWER_KINDS.items()}
    kind_width = max(len(k) for k in kinds.values())
    width = max(80, shutil.get_terminal_size((100, 20)).columns)
    indent = " " * (id_width + kind_width + 12)
    print(f"{'check':<{id_width}}  {'power':<{kind_width}}  status  explanation")
    print(f"{'-' * id_width}  {'-' * kind_width}  ------  {'-' * (width - len(indent))}")
    for r in results:
        lines = textwrap.wrap(r.explanation, width=width - len(indent)) or [""]
        print(f"{r.id:<{id_width}}  {kinds[r.could_fail]:<{kind_width}}  {r.status:<6}  {lines[0]}")
        for line in lines[1:]:
            print(indent + line)
    # Informative and bookkeeping checks are counted apart: a pass of a check that no
    # plausible data could fail is no evidence, and one total would hide that.
    by_power = checks.power_counts(results)
    print("\n" + textwrap.fill("informative: plausible wrong data could have made the check "
                               "fail or flag; bookkeeping: they could not. --json and --csv "
                               "give each check's reason.", width=width))
    print(f"{len(results)} checks: " + "; ".join(
        f"{kind} {sum(n.values())} (" + ", ".join(f"{c} {s}" for s, c in n.items()) + ")"
        for kind, n in by_power.items()))
    return checks.exit_code(results)


def cmd_student(args) -> int:
    import subprocess

    from .book import student

    try:
        made = student.make_edition(args.out, html=not args.no_html)
    except student.StudentEditionError as exc:
        print(exc, file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"the student HTML build failed (exit code {exc.returncode}); its log is above",
              file=sys.stderr)
        return exc.returncode
    for path in made["notebooks"]:
        print(f"student notebook {relative(path)}")
    if "html" in made:
        print(f"student HTML {relative(made['html'])}/index.html")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bentre", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every table").set_defaults(func=cmd_validate)
    ex = sub.add_parser("execute", help="execute notebooks and store outputs")
    ex.add_argument("notebooks", nargs="*", help="notebooks (default: every chapter)")
    ex.set_defaults(func=cmd_execute)
    sub.add_parser("cache-guard", help="invalidate a stale execution cache").set_defaults(
        func=cmd_cache_guard)
    audit = sub.add_parser("audit", help="run every check of the figures")
    audit.add_argument("--json", action="store_true",
                       help="print every result with all fields and values as JSON")
    audit.add_argument("--csv", metavar="PATH",
                       help="also write every result (with inputs and values) as CSV to PATH")
    audit.set_defaults(func=cmd_audit)
    stu = sub.add_parser("student", help="write the student edition (notebooks and HTML)")
    stu.add_argument("--out", help="output folder (default: _build/student)")
    stu.add_argument("--no-html", action="store_true", help="write the notebooks only")
    stu.set_defaults(func=cmd_student)
    args = parser.parse_args(argv)
    return args.func(args)
