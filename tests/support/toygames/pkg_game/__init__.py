"""A game package run with `python -m toygames.pkg_game`."""
