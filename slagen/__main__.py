"""``python -m slagen`` runs the command line."""

from slagen.cli import main

if __name__ == "__main__":
    main(prog_name="slagen")
