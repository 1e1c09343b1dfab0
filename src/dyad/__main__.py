"""Allow ``python -m dyad``."""

from dyad.cli import main

main()
