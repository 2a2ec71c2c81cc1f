"""Category suggestion: a text classifier trained on the team's own weighed reports
(issue "Werkruimte I — triage", item 9; ADR 0008).

It learns from reports the team has weighed (their working-version text and final category)
and suggests a category for another report with how sure it is. It says nothing when it has
too little data or is not sure enough: a wrong suggestion given with confidence costs the
team more than none.
"""

import io
import logging
import math
import os
import re
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import joblib
import sklearn
from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core import crypto
from baken.core.actors import SYSTEM

from .models import Category, Report
from .permissions import Action, can
from .selectors import SEALED
from .workflow import Status

logger = logging.getLogger(__name__)

FORMAT = 1
HELD_OUT = 0.2
# Weighed, or past it: the category the team settled on while weighing is final enough to
# learn from (docs/product.md#report-states). Not a report decided 'no action': it is sealed
# from the decision (issue 15, docs/retention.md), and a sealed report's words are not used
# for anything any more, this model's vocabulary included.
WEIGHED_OR_LATER = [
    Status.WEIGHED,
    Status.REFERRED,
    Status.FORWARDED,
    Status.IN_ANALYSIS,
    Status.LINKED_TO_CASE,
]

# Why there is no suggestion: a code for the API, a sentence for people.
REASONS = {
    "not_allowed": _("Your role does not set a report's category."),
    "no_model": _("No category suggestions have been learned yet."),
    "too_little_data": _("There are too few weighed reports to suggest a category."),
    "low_confidence": _("No category is likely enough to suggest."),
}


@dataclass(frozen=True)
class TrainingResult:
    trained: bool
    examples: int
    classes: tuple[str, ...] = ()
    accuracy: float | None = None  # on the held-out share
    macro_f1: float | None = None
    baseline: float | None = None  # always answering the most frequent category
    trained_at: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class Suggestion:
    category: Category
    confidence: float  # 0..1, the model's probability for this category

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


def _text(description: str) -> str:
    # Digits are masked: house numbers, postcodes, BSNs and plates say nothing about the kind
    # of undermining, and so they never end up in the model's vocabulary (ADR 0008).
    return re.sub(r"\d", "0", description)


def _pipeline() -> Pipeline:
    # Word uni- and bigrams for phrases ("afgeplakte ramen"), character n-grams within words
    # for Dutch compounds ("hennepgeur", "hennepkwekerij"). min_df=2: a term seen in one
    # report only (a name, a plate) is never learned.
    words = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode"
    )
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=2,
        sublinear_tf=True,
        strip_accents="unicode",
        max_features=200_000,
    )
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", chars)])),
            ("classifier", LogisticRegression(C=10.0, max_iter=2000)),
        ]
    )


def training_examples() -> tuple[list[str], list[str]]:
    """The weighed reports' working-version text and category (most recent first).

    The working version lives on the Report itself (editing._apply keeps the category and
    description there); merged duplicates are left out, their leading report counts once.
    """
    rows = (
        Report.objects.filter(Q(weighed_at__isnull=False) | Q(status__in=WEIGHED_OR_LATER))
        .filter(category__isnull=False, merged_into__isnull=True)
        .exclude(SEALED)  # 'no action', and restricted on a request (AVG art. 18)
        .order_by("-received_at")
        .values_list("description", "category__code")[: settings.SUGGESTION_MAX_EXAMPLES]
    )
    texts, labels = [], []
    for description, code in rows:
        texts.append(_text(description))
        labels.append(code)
    return texts, labels


def usable_examples() -> tuple[list[str], list[str]]:
    """The training examples, without categories too rare to learn reliably."""
    texts, labels = training_examples()
    counts = Counter(labels)
    keep = {code for code, n in counts.items() if n >= settings.SUGGESTION_MIN_PER_CATEGORY}
    pairs = [(t, y) for t, y in zip(texts, labels, strict=True) if y in keep]
    return [t for t, _y in pairs], [y for _t, y in pairs]


def _enough(counts: Counter) -> bool:
    usable = [n for n in counts.values() if n >= settings.SUGGESTION_MIN_PER_CATEGORY]
    # One category is no choice at all, whatever the setting says.
    return sum(usable) >= settings.SUGGESTION_MIN_REPORTS and len(usable) >= max(
        2, settings.SUGGESTION_MIN_CATEGORIES
    )


def evaluate(texts: list[str], labels: list[str], *, seed: int = 0) -> dict:
    """Fit on (1 - HELD_OUT) of the examples, stratified, and score on the rest."""
    classes = len(set(labels))
    test_size = max(math.ceil(len(texts) * HELD_OUT), classes)
    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=test_size, stratify=labels, random_state=seed
    )
    pipeline = _pipeline().fit(train_x, train_y)
    predicted = pipeline.predict(test_x)
    most_frequent = Counter(train_y).most_common(1)[0][0]
    return {
        "pipeline": pipeline,
        "test_x": test_x,
        "test_y": test_y,
        "accuracy": float(accuracy_score(test_y, predicted)),
        "macro_f1": float(f1_score(test_y, predicted, average="macro")),
        "baseline": sum(y == most_frequent for y in test_y) / len(test_y),
    }


def suggester_train() -> TrainingResult:
    """Learn from the weighed reports and store the model; with too little data, remove it.

    Removing matters: a model learned from reports since deleted (retention) must not
    outlive them by more than one run.
    """
    texts, labels = usable_examples()
    if not _enough(Counter(labels)):
        return _untrained(len(texts))
    try:
        scores = evaluate(texts, labels)
        pipeline = _pipeline().fit(texts, labels)
    except ValueError as exc:  # e.g. no term occurs in two reports
        logger.warning("Category suggester not trained: %s", exc)
        return _untrained(len(texts))
    _forget_rare_terms(pipeline)
    result = TrainingResult(
        trained=True,
        examples=len(texts),
        classes=tuple(str(c) for c in pipeline.classes_),
        accuracy=scores["accuracy"],
        macro_f1=scores["macro_f1"],
        baseline=scores["baseline"],
        trained_at=timezone.now(),
    )
    meta = {
        "trained_at": result.trained_at.isoformat() if result.trained_at else None,
        "examples": result.examples,
        "counts": dict(Counter(labels)),
        "classes": list(result.classes),
        "accuracy": result.accuracy,
        "macro_f1": result.macro_f1,
        "baseline": result.baseline,
        "sklearn": sklearn.__version__,
    }
    _store({"format": FORMAT, "pipeline": pipeline, "meta": meta})
    with transaction.atomic():
        audit_record(
            actor=SYSTEM,
            action=AuditAction.SUGGESTIONS_TRAIN,
            detail={"examples": result.examples, "categories": list(result.classes)},
        )
    return result


def _untrained(examples: int) -> TrainingResult:
    path = Path(settings.SUGGESTION_MODEL_FILE)
    if path.exists():
        path.unlink()
        with transaction.atomic():
            audit_record(
                actor=SYSTEM, action=AuditAction.SUGGESTIONS_REMOVE, detail={"examples": examples}
            )
    return TrainingResult(trained=False, examples=examples, reason="too_little_data")


def _forget_rare_terms(pipeline: Pipeline) -> None:
    # Before scikit-learn 1.8 a vectorizer kept every pruned term (names, plates …) in
    # `stop_words_`, for introspection only; it must not be written to disk.
    for _name, vectorizer in pipeline.named_steps["features"].transformer_list:
        if hasattr(vectorizer, "stop_words_"):
            delattr(vectorizer, "stop_words_")


# Storing and loading. joblib files are pickles: loading one can run any code in it. The model
# file is therefore written by suggester_train alone, encrypted and authenticated (AES-GCM,
# key derived from the data key, as attachments are), and nothing is unpickled unless it
# decrypts: a file that Baken did not write is never loaded (ADR 0008). The encryption also
# keeps the model's vocabulary, learned from report texts, as protected at rest as the texts.
MODEL_PURPOSE = "baken.reports.suggester.v1"


def _store(payload: dict) -> None:
    path = Path(settings.SUGGESTION_MODEL_FILE)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    buffer = io.BytesIO()
    joblib.dump(payload, buffer, compress=3)
    blob = buffer.getvalue()
    # Written beside the target and renamed over it: a reader sees the old file or the new
    # one, never half of one. mkstemp creates it with mode 0600.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".category-suggester-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(crypto.encrypt(blob, purpose=MODEL_PURPOSE))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _ModelCache:
    """The loaded model, once per process, loaded again when the file changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._payload: dict | None = None

    def get(self) -> dict | None:
        path = Path(settings.SUGGESTION_MODEL_FILE)
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        key = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key != self._key:
                self._payload, self._key = _load(path), key
            return self._payload


def _load(path: Path) -> dict | None:
    try:
        blob = crypto.decrypt(path.read_bytes(), purpose=MODEL_PURPOSE)
    except (InvalidTag, ValueError):
        logger.warning("Category suggester %s was not written by Baken: not loaded.", path)
        return None
    try:
        payload = joblib.load(io.BytesIO(blob))  # noqa: S301 (written by us: see above)
    except Exception:
        logger.exception("Category suggester %s could not be loaded.", path)
        return None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        return None
    return payload


_models = _ModelCache()


def suggester_meta() -> dict | None:
    """The stored model's training metadata, or None when there is no model."""
    payload = _models.get()
    return payload["meta"] if payload else None


def category_suggestion(*, user: User, report: Report) -> tuple[Suggestion | None, str]:
    """A suggestion for this report's category, or None and the code of the reason why not.

    Precondition: `report` came from a selector for this user (need-to-know is theirs).
    """
    if not can(user, Action.IMPROVE):
        return None, "not_allowed"
    payload = _models.get()
    if payload is None:
        return None, "no_model"
    # The settings may have been raised since the model was trained.
    if not _enough(Counter(payload["meta"]["counts"])):
        return None, "too_little_data"
    pipeline = payload["pipeline"]
    probabilities = pipeline.predict_proba([_text(report.description)])[0]
    ranked = sorted(
        ((str(code), float(p)) for code, p in zip(pipeline.classes_, probabilities, strict=True)),
        key=lambda pair: -pair[1],
    )
    # A category the administrator has since retired is never suggested.
    codes = [code for code, _p in ranked]
    active = {c.code: c for c in Category.objects.filter(is_active=True, code__in=codes)}
    for code, probability in ranked:
        if code in active:
            if probability < settings.SUGGESTION_MIN_CONFIDENCE:
                break
            return Suggestion(category=active[code], confidence=probability), ""
    return None, "low_confidence"


def category_suggest(*, user: User, report: Report) -> Suggestion | None:
    return category_suggestion(user=user, report=report)[0]
