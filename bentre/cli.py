"""``python -m bentre COMMAND``: the project's verbs that are not Make's.

- ``validate``     check every table against the descriptor and the article;
- ``execute``      run notebooks with nbclient and store their outputs (deterministically);
- ``cache-guard``  drop the book's execution cache when ``data/`` or ``bentre/`` changed;
- ``audit``        run every check of ``bentre.checks`` (``--json`` for all fields and values,
                   ``--csv PATH`` to also write them as CSV), counting informative and
                   bookkeeping checks apart; exit code 1 if any check fails;
- ``student``      write the student edition under ``_build/student/`` (``_build/vi/student/`` with
                   ``--lang vi``): the chapter notebooks
                   without solutions, and the HTML with solutions hidden (``bentre.book.student``).

Every verb takes ``--lang {en,vi}`` (default: ``BENTRE_LANG``, else English): the language of
what it prints, and of the notebooks that ``execute`` runs (their kernels inherit
``BENTRE_LANG``). An unknown language is a usage error (exit code 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import data, i18n
from .i18n import _, pgettext
from .numbers import local
from .paths import relative

def cmd_validate(args) -> int:
    counts, problems = data.validate_all()
    for name in data.table_names():
        file = relative(data.table_path(name))
        mine = [p for p in problems if file in p.file]
        if mine:
            print(_("{file}: {n} problem(s)").format(file=file, n=local(len(mine))))
        elif name in counts and not problems:
            print(_("{file}: ok, {n} rows").format(file=file, n=local(counts[name])))
        else:
            print(_("{file}: no problem of its own ({n} rows); cross-table checks wait for the "
                    "others").format(file=file, n=local(counts.get(name, 0))))
    if problems:
        print("\n" + _("{n} problem(s):").format(n=local(len(problems))), file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    return 0


def cmd_execute(args) -> int:
    from .book import build
    from .i18n import SOURCE_LANGUAGE, language

    from .paths import chapters_dir

    # The outputs stored in chapters/ are the English edition's (nbval compares them); the
    # other editions execute into their own caches when they are built (make html-vi).
    targets = [Path(p).resolve() for p in args.notebooks] or [chapters_dir()]
    if language() != SOURCE_LANGUAGE and any(
            t == chapters_dir() or chapters_dir() in t.parents for t in targets):
        print(_("execute stores the English edition's outputs in the notebooks; the "
                "{lang} edition executes into its own cache: make html-{lang}").format(
                    lang=language()), file=sys.stderr)
        return 2
    for path in build.execute_notebooks(args.notebooks or None):
        print(_("executed {path}").format(path=relative(path)))
    return 0


def cmd_cache_guard(args) -> int:
    from .book import build

    from .paths import build_dir

    first = not (build_dir() / build.FINGERPRINT).is_file()
    dropped, fingerprint = build.cache_guard()
    if dropped:
        text = _("execution cache dropped (inputs changed); inputs fingerprint {fingerprint}")
    elif first:
        text = _("execution cache started (no earlier record of its inputs); inputs "
                 "fingerprint {fingerprint}")
    else:
        text = _("execution cache kept (inputs unchanged); inputs fingerprint {fingerprint}")
    print(text.format(fingerprint=fingerprint[:12]))
    return 0


def cmd_audit(args) -> int:
    import shutil
    import textwrap

    from . import checks
    from .checkbase import power_kind_label, status_label

    results = checks.run_all()
    if args.csv:
        from . import audit

        path = audit.write_csv(results, args.csv)
        print(_("wrote {path} ({n} checks)").format(path=path, n=local(len(results))),
              file=sys.stderr)
    if args.json:
        print(checks.to_json(results))
        return checks.exit_code(results)
    # Headers, kinds of check and statuses in the reader's words (the JSON and CSV keep the
    # codes), the same words as the audit chapter's table (bentre.checks.display_frame).
    heads = {"check": pgettext("audit table", "check"), "power": pgettext("audit table", "power"),
             "status": pgettext("audit table", "status"),
             "explanation": pgettext("audit table", "explanation")}
    kinds = {could_fail: power_kind_label(kind) for kind, could_fail in checks.POWER_KINDS.items()}
    statuses = {code: status_label(code) for code in checks.STATUSES}
    id_width = max([len(r.id) for r in results] + [len(heads["check"])])
    kind_width = max([len(k) for k in kinds.values()] + [len(heads["power"])])
    status_width = max([len(s) for s in statuses.values()] + [len(heads["status"])])
    width = max(80, shutil.get_terminal_size((100, 20)).columns)
    indent = " " * (id_width + kind_width + status_width + 6)
    print(f"{heads['check']:<{id_width}}  {heads['power']:<{kind_width}}  "
          f"{heads['status']:<{status_width}}  {heads['explanation']}")
    print(f"{'-' * id_width}  {'-' * kind_width}  {'-' * status_width}  "
          f"{'-' * (width - len(indent))}")
    for r in results:
        lines = textwrap.wrap(r.explanation, width=width - len(indent)) or [""]
        print(f"{r.id:<{id_width}}  {kinds[r.could_fail]:<{kind_width}}  "
              f"{statuses[r.status]:<{status_width}}  {lines[0]}")
        for line in lines[1:]:
            print(indent + line)
    # Informative and bookkeeping checks are counted apart: a pass of a check that no
    # plausible data could fail is no evidence, and one total would hide that.
    print("\n" + textwrap.fill(checks.power_legend(), width=width))
    print(checks.summary_line(results))
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
        print(_("the student HTML build failed (exit code {code}); its log is above").format(
            code=exc.returncode), file=sys.stderr)
        return exc.returncode
    for path in made["notebooks"]:
        print(_("student notebook {path}").format(path=relative(path)))
    if "html" in made:
        print(_("student HTML {path}").format(path=f"{relative(made['html'])}/index.html"))
    return 0


def _language_option(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--lang", metavar="{" + ",".join(i18n.LANGUAGES) + "}", default=default,
                        help="the language of the output (default: $BENTRE_LANG, else en)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bentre", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    _language_option(parser, None)
    # --lang also after the verb (python -m bentre audit --lang vi); SUPPRESS there keeps a
    # --lang given before the verb.
    common = argparse.ArgumentParser(add_help=False)
    _language_option(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every table", parents=[common]).set_defaults(
        func=cmd_validate)
    ex = sub.add_parser("execute", help="execute notebooks and store outputs", parents=[common])
    ex.add_argument("notebooks", nargs="*", help="notebooks (default: every chapter)")
    ex.set_defaults(func=cmd_execute)
    sub.add_parser("cache-guard", help="invalidate a stale execution cache",
                   parents=[common]).set_defaults(func=cmd_cache_guard)
    audit = sub.add_parser("audit", help="run every check of the figures", parents=[common])
    audit.add_argument("--json", action="store_true",
                       help="print every result with all fields and values as JSON")
    audit.add_argument("--csv", metavar="PATH",
                       help="also write every result (with inputs and values) as CSV to PATH")
    audit.set_defaults(func=cmd_audit)
    stu = sub.add_parser("student", help="write the student edition (notebooks and HTML)",
                         parents=[common])
    stu.add_argument("--out", help="output folder (default: _build/student, or _build/<lang>/student)")
    stu.add_argument("--no-html", action="store_true", help="write the notebooks only")
    stu.set_defaults(func=cmd_student)
    args = parser.parse_args(argv)
    lang, where = ((args.lang, "--lang") if args.lang is not None
                   else (os.environ.get(i18n.ENV) or i18n.SOURCE_LANGUAGE, i18n.ENV))
    if lang not in i18n.LANGUAGES:
        parser.error(f"unknown language {lang!r} ({where}): choose one of "
                     f"{', '.join(i18n.LANGUAGES)}")
    # The language is set before anything is rendered, and put back afterwards: main() run
    # in-process (the tests) must not change the language of what runs after it.
    chosen, environ = i18n._chosen, os.environ.get(i18n.ENV)
    i18n.set_language(lang)
    try:
        return args.func(args)
    finally:
        i18n._chosen = chosen
        if environ is None:
            os.environ.pop(i18n.ENV, None)
        else:
            os.environ[i18n.ENV] = environ
