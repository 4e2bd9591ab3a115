"""Commands that write into a library of the user's own: ``library init`` and ``catalog new``.

They, and ``slagen tiers new``, never write into the installed package: without a library named by
``--library``, ``SLAGEN_LIBRARY`` or a ``slagen.toml``, they refuse and say how to make one.
"""

from __future__ import annotations

from pathlib import Path

import click

from slagen.cli.console import reports_errors, say
from slagen.cli.options import LIBRARY_VARIABLE, SETTINGS_FILE, force_option, library_option
from slagen.errors import InputError

LIBRARY_PARTS = ("clauses", "templates", "tiers")
"""What a library is: clause records, templates (with labels and questions), service catalogs."""


def writable_library(library_dir: Path | None) -> Path:
    """The user's library to write into; an error saying how to make one if none is named or it is slagen's own."""
    from slagen.library import default_library_path

    how = (
        "make a library of your own with `slagen library init DIR` and name it with --library DIR, "
        f'{LIBRARY_VARIABLE}=DIR or library = "DIR" in a {SETTINGS_FILE}'
    )
    if library_dir is None:
        raise InputError.single(f"no library named to write into: {how}", key="--library")
    root = library_dir.resolve()
    if root == default_library_path().resolve() or Path(__file__).resolve().parents[1] in (root, *root.parents):
        raise InputError.single(f"{library_dir} is slagen's own library, which is not written into: {how}")
    if not (root / "clauses").is_dir():
        raise InputError.single(f"{library_dir} is not a slagen library (no clauses/): {how}", key="--library")
    return root


@click.group("library")
def library_group() -> None:
    """Make a clause library of your own, to add catalogs, tiers and clauses to.

    \b
    Example:
      slagen library init our-library
      slagen lint --library our-library
    """


@library_group.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@reports_errors
def library_init(directory: Path) -> None:
    """Copy the bundled library (clauses, templates, tiers) into DIRECTORY, a new directory.

    Then name it with --library DIRECTORY, SLAGEN_LIBRARY or library = "DIRECTORY" in a slagen.toml.

    \b
    Example:
      slagen library init our-library
    """
    from slagen.library import default_library_path
    from slagen.output import write_outputs

    if directory.exists() and any(directory.iterdir()):
        raise InputError.single(f"{directory} exists and is not empty: name a new directory", key="DIRECTORY")
    source = default_library_path()
    files = {
        directory / path.relative_to(source): path.read_bytes()
        for part in LIBRARY_PARTS
        for path in sorted((source / part).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    write_outputs(files, force=False)
    say(f"{directory}: {len(files)} files; use it with --library {directory}")


@click.group("catalog")
def catalog_group() -> None:
    """Add a service catalog to your library.

    \b
    Example:
      slagen catalog new facility --kind work_items --library our-library
    """


@catalog_group.command("new")
@click.argument("name")
@click.option("--kind", "kinds", multiple=True, required=True, help="Kind of service (repeat for several).")
@click.option("--from", "base", help="Catalog of the library to copy KPIs, terms and tiers from.")
@library_option
@force_option
@reports_errors
def catalog_new(name: str, kinds: tuple[str, ...], base: str | None, library_dir: Path | None, force: bool) -> None:
    """Write a commented catalog NAME (tiers/NAME.yaml) into your library: it lints and builds as it is.

    Kinds: availability, systems, tickets, inbound_contacts, outbound_contacts, work_items, deliveries.

    \b
    Example:
      slagen catalog new facility --kind work_items --library our-library
      slagen catalog new helpdesk --kind tickets --from it-service --library our-library
    """
    from slagen.library import load_library
    from slagen.output import write_outputs
    from slagen.scaffold import scaffold_catalog

    root = writable_library(library_dir)
    text = scaffold_catalog(load_library(root), name, list(kinds), base)
    target = root / "tiers" / f"{name}.yaml"
    write_outputs({target: text.encode("utf-8")}, force=force)
    say(str(target))
