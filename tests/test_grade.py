"""Promises of the assessed exercises (:mod:`bentre.book.assessed`) and of their grading with
nbgrader (:mod:`bentre.book.grade`).

- Every computing exercise of chapters 02–06 has an assessed variant; each teacher's
  solution, run, passes bentre's own check; each named likely mistake gets its own message;
  each prompt states the tolerance the check uses.
- No assessed answer appears anywhere in the student edition (notebooks and HTML) or in the
  classroom kit, in English or Vietnamese format, to 0, 1 or 2 decimals (a rendering with
  fewer than three significant digits identifies nothing and is not searched). Without a built
  student edition this skips, or fails under ``BENTRE_REQUIRE_BOOK=1`` (``make test``).
- The assessed code shares no line with a chapter's solution (the kit's leak search treats
  what bentre's code holds as public), and the kit ships no assessed solution.
- Graded with the real nbgrader (slow): a folder of generated submissions, a student with the
  teacher's solutions, one with a named mistake for every answer (one variant right: partial
  credit), a blank one, and one with a notebook that is not JSON and one whose answer cell
  raises an unrelated error, gives a gradebook row per student and assignment with the
  designed scores, a feedback page per graded notebook naming the mistakes (and not showing
  the hidden tests), and reports the broken notebook without stopping the run.
"""

from __future__ import annotations

import contextlib
import csv
import html
import html.parser
import io
import json
import os
import re
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest

from bentre import exercises
from bentre import numbers as num
from bentre.book import assessed, grade

from conftest import REPO

VARIANTS = assessed.VARIANTS
IDS = [v.id for v in VARIANTS]


def missing(what: str) -> None:
    """Under ``make test`` (``BENTRE_REQUIRE_BOOK=1``) a missing build is a failure; alone, a
    skip that says what to do."""
    if os.environ.get("BENTRE_REQUIRE_BOOK"):
        pytest.fail(what)
    pytest.skip(what)


def run_solution(variant) -> dict:
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(assessed.setup_code(variant.chapter), namespace)
        exec(variant.solution, namespace)
    return namespace


# --- the variants ---------------------------------------------------------------------------

def test_every_computing_exercise_has_an_assessed_variant():
    labels = []
    for path in sorted((REPO / "chapters").glob("0[2-6]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                labels += re.findall(r"\{solution-start\}\s+(\S+)", cell.source)
    assert len(labels) >= 14
    assert sorted(labels) == sorted(v.exercise for v in VARIANTS)
    assert len(set(IDS)) == len(IDS)
    assert all(v.chapter == f"0{v.chapter[1]}_{v.chapter[3:]}" for v in VARIANTS)


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_teacher_solution_passes_bentres_check(variant):
    namespace = run_solution(variant)
    for target in variant.targets:
        answer = assessed.expected(variant.id, target.name).answer()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exercises.verify(answer, namespace=namespace)
        assert "Correct" in out.getvalue()


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_each_likely_mistake_is_named(variant):
    for target in variant.targets:
        expected = assessed.expected(variant.id, target.name)
        assert expected.mistakes, f"{variant.id}: {target.name} names no likely mistake"
        for mistake in expected.mistakes:
            assert abs(mistake.value - expected.value) > target.tolerance
            with pytest.raises(exercises.NotYet) as caught:
                exercises.verify(expected.answer(), namespace={target.name: mistake.value})
            assert mistake.message.rstrip(".") in str(caught.value)


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_prompt_names_the_answers_and_states_the_tolerance(variant):
    text = assessed.prompt(variant)
    for target in variant.targets:
        assert f"`{target.name}`" in text
        stated = "exact" if target.tolerance == 0 else f"±{target.tolerance:g}"
        assert stated in text, f"{variant.id}: the prompt does not state {stated}"
    assert "{" not in text.replace("{glue", "")  # no unformatted placeholder


def test_assessed_code_shares_no_line_with_a_chapter_solution():
    """kit.teacher_material treats whatever bentre's code holds as public: a chapter's
    solution line copied into the assessed code would no longer be searched for in the kit."""
    def norm(line: str) -> str:
        return re.sub(r"\s+", " ", line).strip()

    ours = {norm(line) for v in VARIANTS for line in v.solution.splitlines()}
    ours |= {norm(line) for path in ("assessed.py", "grade.py")
             for line in (REPO / "bentre" / "book" / path).read_text("utf-8").splitlines()}
    shared = []
    for path in sorted((REPO / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if "solution" in cell.metadata.get("tags", []):
                shared += [line for line in cell.source.splitlines()
                           if len(line.strip()) >= 20 and not line.strip().startswith("#")
                           and norm(line) in ours]
    assert not shared


# --- no assessed answer in the student edition ------------------------------------------------

def renderings(value: float) -> list[tuple[str, str]]:
    """``(convention, text)`` of a value as a student might print or read it: English and
    Vietnamese format, 0, 1 and 2 decimals (its absolute value: a sign may be a hyphen, a
    minus or a word). Renderings of fewer than three significant digits are left out."""
    found = []
    for decimals in (0, 1, 2):
        en = num.format_en(abs(value), decimals)
        vi = num.format_vi(Decimal(en.replace(",", "")), decimals)
        if len(re.sub(r"\D", "", en).lstrip("0")) >= 3:
            found += [("en", en), ("vi", vi)]
    return found


def pattern(convention: str, text: str) -> re.Pattern:
    """``text`` as a whole number: not inside a longer one (no digit, or digit and separator,
    before it; no digit or further group after it), but a more precise number that begins with
    it (``1,520`` in ``1,520.06``) counts, since it gives the answer away."""
    group, decimal = (",", ".") if convention == "en" else (".", ",")
    return re.compile(r"(?<!\d)(?<!\d[.,])" + re.escape(text) + r"(?!\d)(?!" + re.escape(group)
                      + r"\d)")


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def readable(name: str, data: bytes) -> str | None:
    """What a reader sees in a file: an HTML page's text, a notebook's sources and text
    outputs (glued values included), a text file as it is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if name.endswith((".html", ".htm")):
        parser = _Text()
        parser.feed(text)
        return " ".join(parser.parts)
    if name.endswith(".ipynb"):
        nb = json.loads(text)
        parts = []
        for cell in nb.get("cells", []):
            parts.append("".join(cell.get("source", "")))
            for output in cell.get("outputs", []):
                parts.append("".join(output.get("text", "")))
                for mime, value in output.get("data", {}).items():
                    if mime.startswith("text") or "papermill" in mime or mime.endswith("json"):
                        parts.append(value if isinstance(value, str) else "".join(value)
                                     if isinstance(value, list) else json.dumps(value))
        return "\n".join(parts)
    if name.endswith((".md", ".txt", ".csv", ".json", ".py", ".yml", ".cfg")):
        return text
    return None


KIT_ARCHIVE = REPO / "_build" / "kit" / "bentre-classroom-kit.zip"
STUDENT_EDITIONS = [REPO / "_build" / "student", REPO / "_build" / "kit" / "student"]


def student_texts() -> dict[str, str]:
    """Every text of the student edition(s) that are built: ``make student``'s, and the
    kit's (from the archive when there is one, which holds the kit's edition)."""
    texts = {}
    editions = STUDENT_EDITIONS[:1] if KIT_ARCHIVE.is_file() else STUDENT_EDITIONS
    for edition in editions:
        for folder in ("notebooks", "html"):
            for path in sorted((edition / folder).rglob("*")) if (edition / folder).is_dir() else []:
                if path.is_file() and "_sources" not in path.parts:
                    text = readable(path.name, path.read_bytes())
                    if text is not None:
                        texts[str(path.relative_to(REPO))] = text
    if KIT_ARCHIVE.is_file():
        with zipfile.ZipFile(KIT_ARCHIVE) as zf:
            for name in zf.namelist():
                if not name.endswith(".whl") and "/_sources/" not in name:
                    text = readable(name, zf.read(name))
                    if text is not None:
                        texts[f"{KIT_ARCHIVE.name}!{name}"] = text
    return texts


@pytest.fixture(scope="module")
def edition() -> dict[str, str]:
    texts = student_texts()
    if not any(name.endswith(".html") for name in texts):
        missing("no student HTML in _build/student/html or _build/kit/student/html: run make "
                "student (or make kit) first")
    if not any(name.endswith(".ipynb") for name in texts):
        missing("no student notebooks: run make student first")
    return texts


def test_the_search_finds_a_printed_answer(edition):
    """The search below can fail: the chapters' own answers are in the student edition."""
    from bentre import checks

    base = checks.run("implied_base_revenue").values["base"]
    assert any(pattern(c, t).search(text) for c, t in renderings(base)
               for text in edition.values())


def test_assessed_answers_appear_nowhere_in_the_student_edition(edition):
    names = list(edition)
    joined = "\n\0\n".join(edition[n] for n in names)  # one text, searched once per answer
    starts, at = [], 0
    for name in names:
        starts.append(at)
        at += len(edition[name]) + 3
    found = []
    for variant in VARIANTS:
        for target in variant.targets:
            value = assessed.expected(variant.id, target.name).value
            rx = re.compile("|".join(pattern(c, t).pattern for c, t in renderings(value)))
            for m in rx.finditer(joined):
                name = names[max(i for i, s in enumerate(starts) if s <= m.start())]
                found.append(f"{variant.id}.{target.name} = {value!r} as {m.group(0)!r} in "
                             f"{name}: …{joined[max(0, m.start() - 50):m.end() + 20]!r}")
    assert not found, "\n".join(found[:20])


def test_the_kit_ships_no_assessed_solution():
    """The kit's bentre wheel must leave out the teacher's assessed code (``assessed.py`` holds
    the solutions, and its ``expected`` would compute every answer for a student)."""
    if not KIT_ARCHIVE.is_file():
        missing(f"no kit at {KIT_ARCHIVE.relative_to(REPO)}: run make kit first")
    solution_lines = {line.strip() for v in VARIANTS for line in v.solution.splitlines()
                      if len(line.strip()) >= 20 and not line.strip().startswith("#")}
    found = []
    with zipfile.ZipFile(KIT_ARCHIVE) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            members = [(name, data)]
            if name.endswith(".whl") and Path(name).name.startswith("bentre-"):
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    members = [(f"{name}!{sub}", inner.read(sub)) for sub in inner.namelist()]
            for member, content in members:
                if member.endswith(("assessed.py", "grade.py")):
                    found.append(f"{member}: the teacher's assessed code")
                    continue
                text = readable(member, content)
                if text is not None:
                    found += [f"{member}: {line!r}" for line in solution_lines if line in text]
    assert not found, "\n".join(found[:20])


# --- grading with nbgrader --------------------------------------------------------------------

# Who hands in what. "an": the teacher's solutions, every chapter. "binh": a named likely
# mistake for every answer (two chapters: every mistake's message is proved above, here that
# it reaches the feedback), but the first variant of PARTIAL right. "chi": the release as is.
# "dung": a notebook that is not JSON, and one whose first answer raises an unrelated error.
WRONG = ("02_economy", "05_outlook")
PARTIAL = "05_outlook"
BLANK = "04_governance"
BROKEN_JSON = "03_infrastructure"
RAISING = "02_economy"


def _cells(nb, suffix: str):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith(suffix)]


def filled(release: Path, answers: dict[str, str]) -> str:
    """A released notebook with the answer cell of each variant id replaced."""
    nb = nbformat.read(release, as_version=4)
    for variant_id, code in answers.items():
        [cell] = _cells(nb, f"{variant_id}-answer")
        cell.source = code
    return nbformat.writes(nb)


def wrong_code(variant) -> str:
    """Every answer of a variant set to its first named likely mistake."""
    lines = []
    for target in variant.targets:
        mistake = assessed.expected(variant.id, target.name).mistakes[0]
        lines.append(f"{target.name} = {mistake.value!r}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grading")
    course = tmp / "course"
    start = time.monotonic()
    released = grade.assign(course)
    assign_seconds = time.monotonic() - start
    collected = tmp / "usb"

    def put(student: str, chapter: str, text: str, name: str | None = None) -> None:
        folder = collected / student / chapter
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (name or grade.notebook_name(chapter))).write_text(text, encoding="utf-8")

    for chapter, release in released.items():
        variants = assessed.for_chapter(chapter)
        put("an", chapter, filled(release, {v.id: v.solution for v in variants}))
        if chapter in WRONG:
            answers = {v.id: wrong_code(v) for v in variants}
            if chapter == PARTIAL:
                answers[variants[0].id] = variants[0].solution
            put("binh", chapter, filled(release, answers), name="renamed by the student.ipynb")
    put("chi", BLANK, released[BLANK].read_text(encoding="utf-8"))
    put("dung", BROKEN_JSON, released[BROKEN_JSON].read_text(encoding="utf-8")[:-200])
    raising = assessed.for_chapter(RAISING)
    put("dung", RAISING, filled(released[RAISING], {
        raising[0].id: "rate = 1 / 0  # an unrelated error",
        **{v.id: v.solution for v in raising[1:]}}))
    result = grade.grade(collected, course)
    print(f"\ngrading: assign {assign_seconds:.1f} s, grade {result.seconds:.1f} s "
          f"({len(list(collected.glob('*/*/*.ipynb')))} notebooks)")
    return {"course": course, "released": released, "result": result}


def points(chapter: str) -> int:
    return sum(v.points for v in assessed.for_chapter(chapter))


@pytest.mark.slow
def test_release_holds_no_solution_and_no_hidden_test(graded):
    secrets = {line.strip() for v in VARIANTS for line in v.solution.splitlines()
               if line.strip() and not line.strip().startswith("#")}
    for chapter, release in graded["released"].items():
        text = release.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        assert "assessed" not in readable(release.name, release.read_bytes()).replace(
            "_assessed.ipynb", "").replace("Assessed exercises", "")
        sources = "\n".join(c.source for c in nbformat.read(release, as_version=4).cells)
        assert not [line for line in secrets if line in sources]
        for variant in assessed.for_chapter(chapter):
            for target in variant.targets:
                value = assessed.expected(variant.id, target.name).value
                assert not [t for c, t in renderings(value) if pattern(c, t).search(sources)]


@pytest.mark.slow
def test_gradebook_has_the_designed_scores(graded):
    result, course = graded["result"], graded["course"]
    assert result.csv == course / "grades.csv"
    with result.csv.open(encoding="utf-8") as f:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    chapters = assessed.chapters()
    assert len(chapters) == 5
    assert {(s, a) for s in ("an", "binh", "chi", "dung") for a in chapters} <= set(rows)
    for chapter in chapters:
        full = points(chapter)
        assert float(rows[("an", chapter)]["score"]) == full
        assert float(rows[("an", chapter)]["max_score"]) == full
        first = assessed.for_chapter(chapter)[0].points
        assert float(rows[("binh", chapter)]["score"]) == (first if chapter == PARTIAL else 0)
    assert float(rows[("chi", BLANK)]["score"]) == 0
    first = assessed.for_chapter(RAISING)[0].points
    assert float(rows[("dung", RAISING)]["score"]) == points(RAISING) - first
    assert float(rows[("dung", BROKEN_JSON)]["score"]) == 0
    assert [(s, a) for s, a, _ in result.failed] == [("dung", BROKEN_JSON)]
    assert "not a readable notebook" in result.failed[0][2]
    with (course / "not_graded.csv").open(encoding="utf-8") as f:
        assert [(r["student_id"], r["assignment"]) for r in csv.DictReader(f)] == [
            ("dung", BROKEN_JSON)]


@pytest.mark.slow
def test_feedback_names_each_mistake(graded):
    course = graded["course"]

    def page(student: str, chapter: str) -> str:
        path = course / "feedback" / student / chapter / grade.notebook_name(chapter)
        path = path.with_suffix(".html")
        assert path.is_file(), f"no feedback for {student}/{chapter}"
        return html.unescape(" ".join(_Text_of(path.read_text(encoding="utf-8"))))

    for chapter in assessed.chapters():
        right = page("an", chapter)
        assert "Not yet" not in right and "Correct" in right
        assert "HIDDEN TESTS" not in right
    for chapter in WRONG:
        wrong = page("binh", chapter)
        variants = assessed.for_chapter(chapter)
        for variant in variants[1:] if chapter == PARTIAL else variants:
            for target in variant.targets:
                message = assessed.expected(variant.id, target.name).mistakes[0].message
                assert message.rstrip(".") in wrong, f"{variant.id}: {message!r} not in feedback"
        assert "Traceback" not in wrong
        assert "HIDDEN TESTS" not in wrong and "assessed.expected" not in wrong.replace(" ", "")
    assert "No answer yet" in page("chi", BLANK)
    assert "ZeroDivisionError" in page("dung", RAISING)
    assert not (course / "feedback" / "dung" / BROKEN_JSON).exists()


def _Text_of(text: str) -> list[str]:
    parser = _Text()
    parser.feed(text)
    return parser.parts



# --- the Vietnamese edition: every named mistake in the student's language ----------------

@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_each_likely_mistake_is_named_in_vietnamese(variant, monkeypatch):
    """Graded by a kernel with BENTRE_LANG=vi, every named mistake reaches the student in
    Vietnamese (translated in the catalog, not left in English), and so does the visible
    test's "No answer yet"."""
    from bentre import i18n

    english = {t.name: assessed.expected(variant.id, t.name) for t in variant.targets}
    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.setenv("BENTRE_LANG", "vi")
    for target in variant.targets:
        expected = assessed.expected(variant.id, target.name)
        for mistake, in_english in zip(expected.mistakes, english[target.name].mistakes):
            assert mistake.message != in_english.message, in_english.message
            with pytest.raises(exercises.NotYet) as caught:
                exercises.verify(expected.answer(), namespace={target.name: mistake.value})
            text = str(caught.value)
            assert text.startswith("Chưa đạt.") and mistake.message in text
        namespace = {"exercises": exercises}
        code = grade.test_code(variant, target).split("### BEGIN HIDDEN TESTS")[0]
        with pytest.raises(exercises.NotYet, match="Chưa có đáp án"):
            exec(code, namespace)
