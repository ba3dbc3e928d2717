"""The games bundled with pygameplayer: plain PyGame programs that know nothing about it."""
