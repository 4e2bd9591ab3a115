"""Generators of the reference pages in ``docs/``: the answers reference and the template reference.

Documentation, not runtime: no command imports this package, so ``slagen build`` never loads it. It stays
inside the installed package (not beside it in the repository) because a library author regenerates the
pages for their own library: ``python -m slagen.docsgen --library DIR -o DIR/docs``. ``tests/test_docs.py``
and ``tests/test_manual.py`` compare the pages in ``docs/`` with what these functions give for the bundled
library (``pytest --update-golden`` rewrites them).
"""
