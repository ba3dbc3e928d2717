"""The bundled games' specs and scripted policies, installed as ``pygameplayer.catalog``.

The core knows no particular game: these specs reach the registry through the
``pygameplayer.games`` entry-point group, exactly as a third party's games do.
"""
