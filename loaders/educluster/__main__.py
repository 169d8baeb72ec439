"""``python -m educluster`` runs the command line program."""

import sys

from educluster.cli import main

sys.exit(main())
