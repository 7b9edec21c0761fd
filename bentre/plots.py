"""One figure style for the whole book, and the charts the chapters draw.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); the font
is DejaVu Sans, which ships with Matplotlib and covers every Vietnamese diacritic. Charts are
shown as PNG bytes rendered here with fixed metadata, with the alt text as their plain-text
form, so a figure is byte-stable across runs and a notebook's text output says what it shows.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # rendered to bytes here; no GUI, no inline-backend reprs
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .numbers import format_en  # noqa: E402

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
    "svg.hashsalt": "bentre",  # stable ids if anyone saves SVG
    "legend.frameon": False,
}


def apply_style() -> None:
    plt.rcParams.update(STYLE)


def figure(width: float = 7.0, height: float = 3.2, **kwargs):
    """A new figure and axes in the book's style (inches; fits the text width of the PDF)."""
    apply_style()
    return plt.subplots(figsize=(width, height), layout="constrained", **kwargs)


def png_bytes(fig) -> bytes:
    """The figure as PNG with no volatile metadata (no version string, no date)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def show(fig, alt: str) -> None:
    """Display a figure as PNG, with ``alt`` as its plain text; closes the figure."""
    from IPython.display import display

    display({"image/png": base64.b64encode(png_bytes(fig)).decode("ascii"),
             "text/plain": alt}, raw=True)


def billions_axis(ax, axis: str = "x", decimals: int = 0) -> None:
    """Tick labels in English format (24,012), for values in billion VND."""
    fmt = FuncFormatter(lambda v, _pos: format_en(v, decimals))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def label_bars(ax, bars, labels, inside: bool = False, color: str = "black") -> None:
    """Write a label at the end of each horizontal bar."""
    for bar, label in zip(bars, labels):
        x = bar.get_x() + bar.get_width()
        y = bar.get_y() + bar.get_height() / 2
        ax.annotate(label, (x, y), xytext=(-4 if inside else 4, 0),
                    textcoords="offset points", va="center",
                    ha="right" if inside else "left", color=color, fontsize=9)
