"""``python -m lecture2.grade NOTEBOOK...``: see :mod:`lecture2.grade`."""

import sys

from . import main

sys.exit(main())
