"""Bến Tre City, first nine months of 2020: figures with provenance, checks and plots.

Modules, each named for its job:
- ``paths``   find the project root and its folders (the one way to do it);
- ``numbers`` parse Vietnamese numbers and format English ones, with Babel;
- ``source``  the article: checksum, cleaning, locating quotes;
- ``data``    load and validate the tables of ``data/`` into typed DataFrames;
- ``build``   execute notebooks and keep the execution cache honest;
- ``cli``     ``python -m bentre …``.
"""

__version__ = "1.0.0"
