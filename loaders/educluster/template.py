"""``educluster template``: not implemented yet (a stub; its issue replaces this file).

Contract: ``run(args) -> int``; options are declared in ``educluster.cli``; import
heavy libraries inside functions, never at module level.
"""

import sys


def run(args) -> int:
    print("educluster template: not implemented yet", file=sys.stderr)
    return 2
