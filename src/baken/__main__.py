"""The `baken` console script: Django's manage.py, plus Baken's own commands."""

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line

from baken.core.crypto import create_data_key_file


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings")
    if sys.argv[1:2] == ["create-data-key"]:
        # Runs before Django starts: start-up itself refuses to go on without a data key.
        sys.exit(_create_data_key(sys.argv[2:]))
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A configuration mistake is the operator's to fix: say what, not a traceback.
        print(f"baken: {exc}", file=sys.stderr)
        sys.exit(2)


def _create_data_key(args: list[str]) -> int:
    if len(args) != 1:
        print("usage: baken create-data-key PATH", file=sys.stderr)
        return 2
    try:
        create_data_key_file(Path(args[0]))
    except FileExistsError:
        print(f"baken: {args[0]} exists already; a data key is never overwritten.", file=sys.stderr)
        return 1
    print(f"Data key written to {args[0]}. Keep a copy in a safe place.")
    return 0


if __name__ == "__main__":
    main()
