"""Entry point for `python -m dateline`."""

from dateline.cli import main

raise SystemExit(main())
