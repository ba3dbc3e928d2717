"""``python -m pygameplayer``."""

import sys

from pygameplayer.cli import main

sys.exit(main())
