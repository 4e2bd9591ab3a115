"""``python -m slagen`` runs the command line."""

from slagen.cli import main

main(prog_name="slagen")
