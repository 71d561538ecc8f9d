"""``python -m luoshi`` runs the same command as the ``luoshi`` script."""

import sys

from luoshi.cli import main

if __name__ == "__main__":
    sys.exit(main())
