"""The `anjian` console script: every Django management command, with dashes accepted for underscores.

`anjian demo`, `anjian serve`, `anjian load-reference`, `anjian generate-demo`, `anjian createuser`,
and `anjian migrate`, `anjian runserver`, `anjian spectacular`, ... (issue 2 item 2).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "anjian"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
