"""Accuracy of the category suggester on held-out demo reports, against the baseline.

    .venv/bin/python bench/suggestions.py [--reports N] [--seed S]

Generates N demo reports with the demo generator (baken.demo.reports, fixed seed) in a
throw-away database, takes the weighed ones the way `baken suggestions train` does, trains
on 80% (stratified) and prints accuracy and macro-F1 on the 20% held out, next to the
baseline of always answering the most frequent category; then what the team would see at
the confidence threshold (share of reports with a suggestion, and how often it is right).

The demo texts are a few templates per category, so the clean figure mostly shows that the
pipeline works end to end. The "noisy" run makes the task harder on purpose: a third of the
words dropped and, in half the reports, a sentence from another category's template added.
"""

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("BAKEN_VAR_DIR", tempfile.mkdtemp(prefix="baken-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(os.environ['BAKEN_VAR_DIR']) / 'b.db'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from baken.demo.reports import TEXTS, DemoReports  # noqa: E402
from baken.reports import suggestions  # noqa: E402


def noisy(texts: list[str], labels: list[str], rng: random.Random) -> list[str]:
    out = []
    for text, label in zip(texts, labels, strict=True):
        words = [w for w in text.split() if rng.random() > 1 / 3] or text.split()[:1]
        if rng.random() < 0.5:
            other = rng.choice([code for code in TEXTS if code != label])
            words.append(rng.choice(TEXTS[other]).format(street="Dokweg", number=7))
        out.append(" ".join(words))
    return out


def report(name: str, texts: list[str], labels: list[str], seed: int) -> None:
    start = time.perf_counter()
    scores = suggestions.evaluate(texts, labels, seed=seed)
    fit = time.perf_counter() - start
    pipeline, test_x, test_y = scores["pipeline"], scores["test_x"], scores["test_y"]
    probabilities = pipeline.predict_proba(test_x)
    threshold = settings.SUGGESTION_MIN_CONFIDENCE
    shown = [
        (pipeline.classes_[row.argmax()] == truth, row.max())
        for row, truth in zip(probabilities, test_y, strict=True)
        if row.max() >= threshold
    ]
    start = time.perf_counter()
    for text in test_x[:200]:
        pipeline.predict_proba([text])
    per_call = (time.perf_counter() - start) / min(200, len(test_x)) * 1000
    print(
        f"{name:6} train {len(texts) - len(test_x):5}  held out {len(test_x):5}  "
        f"accuracy {scores['accuracy']:6.1%}  macro-F1 {scores['macro_f1']:.3f}  "
        f"baseline {scores['baseline']:6.1%}  fit {fit:5.1f} s  suggest {per_call:4.1f} ms"
    )
    if shown:
        coverage = len(shown) / len(test_x)
        print(
            f"{'':6} at confidence >= {threshold:.0%}: suggestion for {coverage:.1%} of reports,"
            f" right in {sum(ok for ok, _p in shown) / len(shown):.1%}"
            f" (mean confidence {statistics.mean(p for _ok, p in shown):.1%})"
        )
    else:
        print(f"{'':6} at confidence >= {threshold:.0%}: no suggestions")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    DemoReports(seed=args.seed, photo_share=0).create(args.reports)
    print(f"{args.reports} demo reports (seed {args.seed}) in {time.perf_counter() - start:.1f} s")
    texts, labels = suggestions.usable_examples()
    print(f"{len(texts)} weighed reports in {len(set(labels))} categories")
    report("clean", texts, labels, args.seed)
    report("noisy", noisy(texts, labels, random.Random(args.seed)), labels, args.seed)

    settings.SUGGESTION_MODEL_FILE = Path(os.environ["BAKEN_VAR_DIR"]) / "bench-suggester.joblib"
    start = time.perf_counter()
    result = suggestions.suggester_train()
    size = settings.SUGGESTION_MODEL_FILE.stat().st_size / 1e6
    print(
        f"suggester_train(): {result.examples} examples in {time.perf_counter() - start:.1f} s "
        f"(evaluation and final fit), model file {size:.1f} MB"
    )


if __name__ == "__main__":
    main()
