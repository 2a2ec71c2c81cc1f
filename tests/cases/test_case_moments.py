"""A case's moments read the one Dutch way in Dutch local time (ADR 0016): the accountability
PDF's timeline as `29-11-2026 00:30` (a task made at 23:30 UTC the evening before), a task's
deadline in words, and the case page the same."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from baken.cases import tasks_work
from baken.cases.models import Case, Task
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

LATE = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # Sunday 00:30 in Amsterdam


def test_the_accountability_pdf_writes_its_moments_in_dutch_local_time(
    case, analyst, verified_client
):
    tasks_work.task_add(
        case=case,
        title="Kadaster raadplegen",
        assignee=analyst,
        deadline=date(2026, 12, 5),
        actor=analyst,
    )
    Task.objects.filter(case=case).update(created_at=LATE)
    Case.objects.filter(pk=case.pk).update(opened_at=LATE)
    client = verified_client(analyst)
    text = pdf_text(client.get(reverse("cases:accountability", args=[case.pk])).content)
    assert "29-11-2026 00:30" in text
    assert "5 december 2026" in text  # the task's deadline in the timeline
    assert "28-11-2026 23:30" not in text and "5-12-2026" not in text

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "29 november 2026 00:30" in page  # opened, in the facts
    assert "05-12-2026" in page  # the deadline in the tasks table
