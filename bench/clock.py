"""The benchmarks' fixed clock: the product's "now" pinned to the moment the demo data was dated
relative to, so that "overdue", "this week" and the like do not drift with the day a benchmark
runs (issue 18).

Baken asks for the time through `django.utils.timezone.now()` (and `localdate()` /
`localtime()`, which call it); `pin()` replaces that function with a clock that starts at the
given moment and runs on at the real pace (a frozen clock would put every request in the same
rate-limit window and session second). Nothing in the product reads this module: the
benchmarks call `pin()` in their own process, and give gunicorn this file as its config file,

    BAKEN_BENCH_NOW=2026-12-01T12:00:00+01:00 gunicorn -c bench/clock.py baken.wsgi ...

which pins the clock in the master before the workers are forked and the app is loaded, and
takes the production settings of deploy/gunicorn.conf.py (the command line's win).
Without BAKEN_BENCH_NOW the config file only brings the production settings.
`python bench/clock.py ARGS` runs `baken ARGS` with the clock pinned the same way.
`time.time()` (session idle timeout, TOTP) keeps the real time; the product's dates do not
come from it.
"""

import os
import sys
from datetime import UTC, datetime

ENV = "BAKEN_BENCH_NOW"


def pin(moment: datetime) -> None:
    """From now on, `timezone.now()` in this process (and its forks) says `moment`, plus the
    time that has passed since this call."""
    from django.utils import timezone

    if timezone.is_naive(moment):
        raise ValueError("the pinned moment needs its offset")
    offset = moment - datetime.now(UTC)

    def now() -> datetime:  # Baken runs with USE_TZ: an aware moment in UTC, as Django's
        return datetime.now(UTC) + offset

    timezone.now = now


def pin_from_env() -> datetime | None:
    value = os.environ.get(ENV)
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    pin(moment)
    return moment


# As gunicorn's config file (-c bench/clock.py): pin the clock in the master. As a script,
# `python bench/clock.py ARGS` is `baken ARGS` with the clock pinned: `baken demo-setup` makes
# registered subjects, a data subject's request and trainings through the product's services,
# which ask `timezone.now()` (BAKEN_BENCH_NOW set, as the benchmark's loading does).
if __name__ not in ("clock", "bench.clock"):
    pin_from_env()
# As gunicorn's config file, the production settings come first (deploy/gunicorn.conf.py: its
# worker hook that freezes the loaded app out of the garbage collector, recycling, logging);
# what the benchmark passes on gunicorn's command line (bind, workers, timeout) wins.
if __name__ not in ("clock", "bench.clock", "__main__"):
    import runpy
    from pathlib import Path

    _production = Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"
    globals().update(
        (name, value)
        for name, value in runpy.run_path(str(_production)).items()
        if not name.startswith("__")
    )
if __name__ == "__main__":
    from baken.__main__ import main

    sys.argv = ["baken", *sys.argv[1:]]
    main()
