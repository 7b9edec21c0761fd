"""The tools that build and publish the book, kept apart from the analysis: executing the
notebooks and caching (``build``), the HTML and LaTeX Sphinx extensions (``html``, ``pdf``),
the student edition (``student``), and what carries the book to a classroom.

The analysis (``bentre.numbers``, ``data``, ``checks``, ``plots`` …) never imports from
here; these modules may import the analysis.
"""
