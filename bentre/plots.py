"""One figure style for the whole book, and the charts the chapters draw.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); the font
is DejaVu Sans, which ships with Matplotlib and covers every Vietnamese diacritic (its
precomposed letters, U+1EA0–U+1EF9 and the rest), so a Vietnamese figure uses the same font;
tick labels follow the edition's number convention (:func:`bentre.numbers.local`). A chart is
shown in three forms rendered here, each with fixed metadata so that it is byte-stable across
runs (nbval compares SVG and PDF outputs byte for byte), with the alt text as its plain-text
form, so a notebook's text output says what it shows:

- SVG for the HTML (crisp at any zoom). Its text is drawn as glyph outlines
  (``svg.fonttype: path``), not as ``<text>``: the figure looks the same whatever fonts the
  reader's computer has (a school machine may lack DejaVu Sans, and another font would change
  the widths and the Vietnamese diacritics), and the bytes depend on nothing but Matplotlib
  and its bundled font. What a screen reader needs is in the alt text, not in the drawing.
- PDF for the PDF edition (vector; its text stays text, in a subset of DejaVu Sans).
- PNG for what renders notebooks without trusting them (JupyterLab shows no SVG of an
  untrusted notebook); nbval does not compare PNG, and the book uses neither the PNG in
  the HTML nor in the PDF.

Every figure has an opaque white background, never a transparent one: in the theme's dark
mode a transparent chart would put its black text on a dark page.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # rendered to bytes here; no GUI, no inline-backend reprs
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .numbers import local, local_percent  # noqa: E402

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
GREY = "#7F7F7F"
DPI = 150

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "axes.prop_cycle": matplotlib.cycler(color=list(OKABE_ITO.values())),
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "svg.hashsalt": "bentre",  # fixed ids (clip paths, glyphs): the same SVG bytes every run
    "svg.fonttype": "path",    # text as glyph outlines: no dependence on the reader's fonts
    "pdf.fonttype": 42,        # TrueType subset: text stays text in the PDF
    "figure.facecolor": "white",  # opaque, also in dark mode (see the module's docstring)
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "legend.frameon": False,
}


def apply_style() -> None:
    plt.rcParams.update(STYLE)


def figure(width: float = 7.0, height: float = 3.2, **kwargs):
    """A new figure and axes in the book's style (inches; fits the text width of the PDF)."""
    apply_style()
    return plt.subplots(figsize=(width, height), layout="constrained", **kwargs)


# Metadata that would change from run to run (a date) or with the Matplotlib version: none.
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


def _saved(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata=METADATA[fmt],
                facecolor="white", transparent=False)
    return buffer.getvalue()


def png_bytes(fig) -> bytes:
    """The figure as PNG with no volatile metadata (no version string, no date)."""
    return _saved(fig, "png")


def svg_text(fig) -> str:
    """The figure as SVG: no date, no version, fixed ids, text as outlines."""
    with plt.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"],
                         "svg.fonttype": STYLE["svg.fonttype"]}):
        return _saved(fig, "svg").decode("utf-8")


def pdf_bytes(fig) -> bytes:
    """The figure as vector PDF with no creation date, producer or creator."""
    with plt.rc_context({"pdf.fonttype": STYLE["pdf.fonttype"]}):
        return _saved(fig, "pdf")


def mime_bundle(fig) -> dict[str, str]:
    """The figure's SVG, PDF and PNG forms, as Jupyter stores them (binary ones base64).
    The layout is computed once and then frozen, so the three forms place everything alike
    (constrained layout run again at each save would move things by a hair)."""
    fig.canvas.draw()
    fig.set_layout_engine("none")
    return {"image/svg+xml": svg_text(fig),
            "application/pdf": base64.b64encode(pdf_bytes(fig)).decode("ascii"),
            "image/png": base64.b64encode(png_bytes(fig)).decode("ascii")}


def show(fig, alt: str) -> None:
    """Display a figure as SVG (the HTML), PDF (the PDF edition) and PNG (untrusted
    notebooks), with ``alt`` as its plain text; closes the figure."""
    from IPython.display import display

    bundle = mime_bundle(fig)
    plt.close(fig)
    display({**bundle, "text/plain": alt}, raw=True)


def billions_axis(ax, axis: str = "x", decimals: int = 0) -> None:
    """Tick labels in the edition's convention (24,012 in English, 24.012 in Vietnamese),
    for values in billion VND. The formatter reads the edition when the figure is drawn."""
    fmt = FuncFormatter(lambda v, _pos: local(v, decimals))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def label_bars(ax, bars, labels, inside: bool = False, color: str = "black") -> None:
    """Write a label at the end of each horizontal bar."""
    for bar, label in zip(bars, labels):
        x = bar.get_x() + bar.get_width()
        y = bar.get_y() + bar.get_height() / 2
        ax.annotate(label, (x, y), xytext=(-4 if inside else 4, 0),
                    textcoords="offset points", va="center",
                    ha="right" if inside else "left", color=color, fontsize=9)


# --- dot plots (economy and infrastructure chapters) ----------------------------------------
# A dot marks a value by its position only, so a log scale does not mislead the way a bar's
# length on a log scale would; each dot carries its value written out.

def log_axis(ax, axis: str = "x") -> None:
    """A log scale labelled at powers of ten in the edition's convention (0.1, 1, 10, 1,000
    in English; 0,1, 1, 10, 1.000 in Vietnamese), with unlabelled minor ticks, so that every
    labelled gridline is ten times the one before."""
    import math

    from matplotlib.ticker import LogLocator, NullFormatter

    def label(v, _pos):
        return local(v, max(0, -math.floor(math.log10(v) + 1e-9))) if v > 0 else ""

    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_locator(LogLocator(base=10, numticks=20))
    target.set_major_formatter(FuncFormatter(label))
    target.set_minor_formatter(NullFormatter())


def rows(ax, labels) -> list[float]:
    """Categories as rows from top to bottom of the y axis; returns each row's position."""
    ys = list(range(len(labels)))[::-1]
    ax.set_yticks(ys, labels)
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    return [float(y) for y in ys]


def dots(ax, xs, ys, texts=None, color: str = OKABE_ITO["blue"], filled: bool = True,
         label: str | None = None, size: float = 60, marker: str = "o",
         text_offset: tuple[float, float] = (0, 7), text_ha: str = "center") -> None:
    """One dot per (x, y), hollow unless ``filled``, each with its text beside it (points).
    A line marker (``"|"``) is drawn in ``color`` whatever ``filled`` says."""
    from matplotlib.markers import MarkerStyle

    if MarkerStyle(marker).is_filled():
        ax.scatter(xs, ys, s=size, marker=marker, label=label, zorder=3, linewidths=1.6,
                   facecolors=color if filled else "white", edgecolors=color)
    else:
        ax.scatter(xs, ys, s=size, marker=marker, label=label, zorder=3, linewidths=1.6,
                   color=color)
    for x, y, text in zip(xs, ys, texts or []):
        ax.annotate(text, (x, y), xytext=text_offset, textcoords="offset points",
                    ha=text_ha, va="bottom" if text_offset[1] > 0 else
                    "top" if text_offset[1] < 0 else "center", fontsize=9, color="black")


def percent_axis(ax, axis: str = "x", decimals: int = 0) -> None:
    """Tick labels as percentages in the edition's convention (values already in percent:
    6.5 → 6.5% in English, 6,5% in Vietnamese)."""
    fmt = FuncFormatter(lambda v, _pos: local_percent(v, decimals))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


# --- charts of the governance, outlook and audit chapters (04–06) -------------------------

def ink(colour: str) -> str:
    """Black or white, whichever has the higher WCAG contrast on ``colour`` (``#RRGGBB``)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "white"


def stacked_barh(ax, categories, segments: dict, colours: dict, fmt=None,
                 totals=None, hatches: dict | None = None, min_label_share: float = 0.05,
                 legend: bool = True, legend_title: str | None = None, counts: bool = False,
                 legend_ncols: int | None = None):
    """Horizontal bars, one per category (top to bottom), each made of the ``segments``
    (name → one value per category, stacked left to right in the order given). A segment's
    value is written inside it when it is at least ``min_label_share`` of the longest bar;
    ``totals`` (one label per category) go after the bars; ``counts`` puts ticks on whole
    numbers only. Returns the bar containers."""
    fmt = fmt or (lambda v: local(v))
    hatches = hatches or {}
    names = list(segments)
    n = len(categories)
    left = [0.0] * n
    longest = max(sum(float(segments[s][i]) for s in names) for i in range(n)) or 1.0
    containers = []
    for name in names:
        values = [float(v) for v in segments[name]]
        bars = ax.barh(range(n), values, left=left, color=colours[name], label=name,
                       hatch=hatches.get(name), edgecolor="white", linewidth=0.8, height=0.62)
        for bar, v in zip(bars, values):
            if v and v >= min_label_share * longest:
                ax.annotate(fmt(v), (bar.get_x() + bar.get_width() / 2,
                                     bar.get_y() + bar.get_height() / 2),
                            ha="center", va="center", fontsize=9, color=ink(colours[name]))
        left = [a + b for a, b in zip(left, values)]
        containers.append(bars)
    ax.set_yticks(range(n), list(categories))
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    if totals is not None:
        for i, label in enumerate(totals):
            ax.annotate(label, (left[i], i), xytext=(4, 0), textcoords="offset points",
                        va="center", ha="left", fontsize=9)
        ax.set_xlim(0, longest * 1.22)
    if counts:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if legend:
        ax.legend(ncols=legend_ncols or len(names), loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=9,
                  handlelength=1.2, borderaxespad=0.2, title=legend_title,
                  title_fontsize=9, alignment="left")
    return containers
