"""Vector figures: what ``bentre.plots.show`` stores in the chapters, read from the notebooks.

Every figure is stored as SVG (the HTML), PDF (the PDF edition) and PNG (notebooks opened
untrusted), with its alt text both as the output's plain text and in the cell's
``mystnb.image.alt``. The SVG and PDF are compared byte for byte by nbval, so they carry
nothing that changes from run to run (no date, no version; ids from a fixed salt). The
SVG's text is drawn as outlines, so it reads the same whatever fonts the reader has, and
every figure lies on an opaque white background, so in the theme's dark mode its black
text is not drawn on a dark page.
"""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from xml.etree import ElementTree

import nbformat
import pytest

from conftest import REPO

SVG = "{http://www.w3.org/2000/svg}"
WHITE = {"#ffffff", "#fff", "white"}


def chapter_figures() -> list[tuple[str, dict, dict]]:
    """(notebook, cell metadata, output data) of every figure stored in the chapters."""
    found = []
    for path in sorted((REPO / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if any(k.startswith("image/") or k == "application/pdf" for k in data):
                    found.append((path.name, cell.metadata, data))
    return found


FIGURES = chapter_figures()
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(FIGURES)]


def style(element) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in element.get("style", "").split(";") if ":" in item)
    return {k.strip(): v.strip() for k, v in pairs}


def test_the_chapters_have_figures():
    assert len(FIGURES) >= 10, FIGURES


@pytest.mark.parametrize("figure", FIGURES, ids=IDS)
def test_every_figure_is_svg_pdf_and_png_with_its_alt_text(figure):
    name, metadata, data = figure
    assert {"image/svg+xml", "application/pdf", "image/png", "text/plain"} <= set(data), (
        f"{name}: a figure stored as {sorted(data)}")
    alt = metadata.get("mystnb", {}).get("image", {}).get("alt", "")
    assert len(alt) >= 40, f"{name}: a figure without meaningful alt text ({alt!r})"
    assert len(data["text/plain"]) >= 40


@pytest.mark.parametrize("figure", FIGURES, ids=IDS)
def test_every_svg_has_an_opaque_white_background_and_text_as_outlines(figure):
    name, _, data = figure
    root = ElementTree.fromstring(data["image/svg+xml"].encode("utf-8"))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    figure_group = root.find(f"{SVG}g[@id='figure_1']")
    background = figure_group.find(f"{SVG}g[@id='patch_1']/{SVG}path")
    # The first thing drawn: a white rectangle over the whole canvas, fully opaque.
    assert figure_group[0].get("id") == "patch_1"
    numbers = [float(v) for v in re.findall(r"-?[\d.]+", background.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    assert (min(xs), max(xs), min(ys), max(ys)) == (0, width, 0, height), (
        f"{name}: the background does not cover the figure")
    fill = style(background)
    assert fill.get("fill", "").lower() in WHITE, f"{name}: background {fill}"
    assert float(fill.get("opacity", 1)) == 1 and float(fill.get("fill-opacity", 1)) == 1, (
        f"{name}: a see-through background turns dark in dark mode: {fill}")
    # Text as glyph outlines (svg.fonttype "path"): no <text>, glyphs from DejaVu Sans.
    assert root.find(f".//{SVG}text") is None, f"{name}: text depends on the reader's fonts"
    glyphs = {g.get("id") for g in root.iter(f"{SVG}path") if "DejaVuSans" in (g.get("id") or "")}
    assert glyphs, f"{name}: no glyph outlines (a figure without words?)"


@pytest.mark.parametrize("figure", FIGURES, ids=IDS)
def test_every_figure_carries_no_date_or_version(figure):
    name, _, data = figure
    svg = data["image/svg+xml"]
    pdf = base64.b64decode(data["application/pdf"])
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg, name
    assert pdf.startswith(b"%PDF-")
    for key in (b"/CreationDate", b"/ModDate", b"/Producer", b"/Creator"):
        assert key not in pdf, f"{name}: the PDF carries {key.decode()}"
    assert b"/Subtype /Image" not in pdf, f"{name}: a raster image inside the vector PDF"


@pytest.mark.slow
def test_a_figure_renders_to_the_same_bytes_in_two_processes():
    """The same chart drawn in two fresh interpreters: identical SVG, PDF and PNG."""
    code = (
        "import hashlib, json\n"
        "from bentre import plots\n"
        "fig, ax = plots.figure()\n"
        "bars = ax.barh([0, 1], [3.5, 5.25], color=plots.OKABE_ITO['blue'])\n"
        "ax.set_title('Bến Tre: tỷ đồng'); ax.set_xlabel('ạ ề ỷ ữ')\n"
        "bundle = plots.mime_bundle(fig)\n"
        "print(json.dumps({k: hashlib.sha256(v.encode()).hexdigest() "
        "for k, v in bundle.items()}))\n")
    outputs = [subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout for _ in range(2)]
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 100


# --- in the browser, dark mode ------------------------------------------------------------------

def relative_luminance(rgb) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.book
def test_every_figure_reads_in_dark_mode():
    """Each chapter page with figures, in Chromium in the theme's dark mode: every figure's
    corners (its background) stay light, and its darkest ink has at least 4.5:1 contrast
    with that background (WCAG AA for text). The theme dims images in dark mode
    (``brightness(.8) contrast(1.2)``): white becomes a light grey of luminance about 0.45,
    the page behind it about 0.006; a transparent figure would show the page instead."""
    import io
    import os

    import numpy
    from PIL import Image

    html = REPO / "_build" / "html"
    pages = sorted({name for name, _, _ in FIGURES})
    if not (html / "chapters" / pages[0].replace(".ipynb", ".html")).is_file():
        message = "_build/html is not built: run `make book` first"
        if os.environ.get("BENTRE_REQUIRE_BOOK"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    problems, seen = [], 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update"])
        page = browser.new_page(color_scheme="dark", viewport={"width": 1280, "height": 1000})
        # The reader's choice, as the theme's colour-mode switch stores it.
        page.add_init_script("localStorage.setItem('mode', 'dark');"
                             "localStorage.setItem('theme', 'dark');")
        for notebook in pages:
            page.goto((html / "chapters" / notebook.replace(".ipynb", ".html")).as_uri())
            assert page.evaluate("document.documentElement.dataset.theme") == "dark"
            page_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
            images = page.locator("img[src*='_images/'][src$='.svg']")
            for i in range(images.count()):
                image = images.nth(i)
                image.scroll_into_view_if_needed()
                shot = Image.open(io.BytesIO(image.screenshot())).convert("RGB")
                w, h = shot.size
                corners = [shot.getpixel((x, y)) for x in (2, w - 3) for y in (2, h - 3)]
                background = min(relative_luminance(c) for c in corners)
                pixels = {tuple(c) for c in numpy.asarray(shot).reshape(-1, 3).tolist()}
                darkest = min(relative_luminance(c) for c in pixels)
                contrast = (background + 0.05) / (darkest + 0.05)
                seen += 1
                if background < 0.3 or contrast < 4.5:
                    problems.append(f"{notebook} figure {i + 1}: background luminance "
                                    f"{background:.2f}, ink contrast {contrast:.1f}:1 "
                                    f"(page background {page_bg})")
        browser.close()
    assert seen == len(FIGURES), f"{seen} figures seen in the HTML, {len(FIGURES)} stored"
    assert not problems, "\n".join(problems)


# --- the Vietnamese edition: Vietnamese number ticks, and a font with every diacritic -------

@pytest.fixture
def vi(monkeypatch):
    from bentre import i18n

    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.setenv("BENTRE_LANG", "vi")


def _tick_labels(draw) -> list[str]:
    from bentre import plots

    fig, ax = plots.figure()
    draw(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    import matplotlib.pyplot as plt

    plt.close(fig)
    return labels


def test_tick_labels_follow_the_edition(vi):
    """BENTRE_LANG=vi: 24.012, not 24,012; 6,5%, not 6.5% (Babel's vi convention)."""
    from babel.numbers import format_decimal

    from bentre import plots

    def draw(ax):
        ax.plot([0, 24012], [0, 6.5])
        ax.set_xticks([0, 12006, 24012])
        ax.set_yticks([0, 3.25, 6.5])
        plots.billions_axis(ax, "x")
        plots.percent_axis(ax, "y", 2)

    labels = _tick_labels(draw)
    assert labels == ["0", format_decimal(12006, locale="vi"), format_decimal(24012, locale="vi"),
                      "0,00%", "3,25%", "6,50%"]
    assert "24.012" in labels and "24,012" not in labels

    def log(ax):
        ax.plot([0.1, 1000], [1, 2])
        plots.log_axis(ax, "x")

    assert {"0,1", "1.000"} <= set(_tick_labels(log))


def test_tick_labels_stay_english_in_the_english_edition(monkeypatch):
    from bentre import i18n, plots

    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.setenv("BENTRE_LANG", "en")

    def draw(ax):
        ax.plot([0, 24012], [0, 6.5])
        ax.set_xticks([0, 24012])
        ax.set_yticks([6.5])
        plots.billions_axis(ax, "x")
        plots.percent_axis(ax, "y", 1)

    assert _tick_labels(draw) == ["0", "24,012", "6.5%"]


def test_vietnamese_text_renders_in_dejavu_sans_with_every_diacritic(vi):
    """The book's font draws Vietnamese: no glyph is missing in the SVG or the PDF, and the
    PDF embeds DejaVu Sans (its text stays text)."""
    import warnings

    from bentre import plots

    text = "Tốc độ tăng so với cùng kỳ; tổng mức bán lẻ hàng hóa ước đạt 24.012 tỷ đồng"
    fig, ax = plots.figure()
    ax.set_title(text)
    ax.set_xlabel("Ưu Ơ ư ơ Đ đ ẵ ặ ễ ệ ỗ ộ ữ ự ỹ ỵ")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Matplotlib warns "Glyph ... missing from font(s)"
        svg = plots.svg_text(fig)
        pdf = plots.pdf_bytes(fig)
    import matplotlib.pyplot as plt

    plt.close(fig)
    assert "<path" in svg and "<text" not in svg
    assert b"DejaVuSans" in pdf


def test_a_table_writes_its_numbers_in_the_editions_convention(vi):
    """bentre.tables, the other reader-facing output of numbers: 22.648,56 in Vietnamese."""
    import pandas as pd

    from bentre.tables import Table

    markdown = Table(pd.DataFrame({"a": [22648.56, 1.5]}))._repr_markdown_()
    assert markdown.splitlines()[2:] == ["| 22.648,56 |", "| 1,5 |"]
