"""The demo's awareness trainings (issue 17): six sessions over the last year, registered by
the demo team lead, for the demo departments (demo/departments.py). A department code the demo
does not have is left out, and a training left with none is not registered. Idempotent:
nothing when a training exists."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from baken.accounts.models import User
from baken.awareness import trainings
from baken.awareness.models import Training, TrainingFormat
from baken.reports.models import Department

LEAD = "teamleider"


@dataclass(frozen=True)
class DemoTraining:
    days_ago: int
    title: str
    departments: tuple[str, ...]
    participants: int
    format: str
    trainer: str
    notes: str = ""


DEMO_TRAININGS = [
    DemoTraining(
        340,
        "Ondermijning herkennen aan de balie",
        ("burgerzaken",),
        18,
        TrainingFormat.IN_PERSON,
        "Tom van den Berg",
        "Veel vragen over adressen met veel inschrijvingen.",
    ),
    DemoTraining(
        270,
        "Signalen bij vergunningaanvragen",
        ("vergunningen", "economische-zaken"),
        24,
        TrainingFormat.WORKSHOP,
        "Ahmed El Amrani",
        "Casus horecavergunning besproken; de Bibob-toets kort toegelicht.",
    ),
    DemoTraining(
        200,
        "Wat zie je op straat?",
        ("handhaving", "openbare-ruimte"),
        31,
        TrainingFormat.IN_PERSON,
        "Tom van den Berg",
    ),
    DemoTraining(
        130,
        "E-learning ondermijning",
        ("burgerzaken", "vergunningen", "belastingen", "sociaal-domein"),
        112,
        TrainingFormat.E_LEARNING,
        "OOV-team",
        "Voor alle medewerkers met klantcontact.",
    ),
    DemoTraining(
        60,
        "Melden in het teamoverleg",
        ("sociaal-domein",),
        9,
        TrainingFormat.TEAM_MEETING,
        "Ahmed El Amrani",
    ),
    DemoTraining(
        21,
        "Online sessie belastingen en vastgoed",
        ("belastingen", "vastgoed"),
        14,
        TrainingFormat.ONLINE,
        "Tom van den Berg",
    ),
]


def demo_trainings() -> int:
    """Register the demo trainings once; returns how many were registered."""
    lead = User.objects.filter(username=LEAD, is_demo=True).first()
    if lead is None or Training.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.filter(is_active=True)}
    today = timezone.localdate()
    made = 0
    for demo in DEMO_TRAININGS:
        chosen = [departments[code] for code in demo.departments if code in departments]
        if not chosen:
            continue
        trainings.training_create(
            actor=lead,
            held_on=today - timedelta(days=demo.days_ago),
            title=demo.title,
            departments=chosen,
            participants=demo.participants,
            format=demo.format,
            trainer=demo.trainer,
            notes=demo.notes,
        )
        made += 1
    return made
