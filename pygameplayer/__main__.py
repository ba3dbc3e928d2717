"""``python -m pygameplayer``."""

import sys

from pygameplayer.cli import main

if __name__ == "__main__":  # guarded: worker processes re-import this module under another name
    sys.exit(main())
