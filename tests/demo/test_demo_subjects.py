"""The demo municipality has registered subjects, relations and a small network (issue 12,
item 8): a new team's first "have we seen this before?" finds something."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.accounts.models import User
from baken.audit.models import AuditEntry
from baken.subjects import search
from baken.subjects.models import Relation, Subject
from baken.subjects.network import network_of

pytestmark = pytest.mark.django_db


def test_after_demo_setup_a_demo_name_finds_reports_a_subject_and_a_network(
    settings, tmp_path, verified_client
):
    settings.VAR_DIR = tmp_path
    call_command("demo-setup", stdout=io.StringIO())
    analyst = User.objects.get(username="analist")
    results = search.search(user=analyst, query="Jan van der Berg")
    assert len(results.reports) >= 2
    assert [s.name for s in results.subjects][:1] == ["Jan van der Berg"]
    # On the map too: the point the postcode lookup gives.
    assert all(report.lat is not None for report in results.reports)
    jan = results.subjects[0]
    assert len(network_of(user=analyst, subject=jan, depth=2).nodes) >= 5
    # The plate finds the van's reports, the subject page lists them.
    assert len(search.search(user=analyst, query="vt123k").reports) >= 2
    page = verified_client(analyst).get(reverse("subjects:detail", args=[jan.pk]))
    assert page.status_code == 200 and "Havenkade Opslag" in page.content.decode()
    # Made the way the workspace makes it: every registration and relation audited.
    assert AuditEntry.objects.filter(action="subject.create").count() == Subject.objects.count()
    assert AuditEntry.objects.filter(action="relation.add").count() == Relation.objects.count()
    # Idempotent: a second run adds nothing; the other team sees none of it.
    counts = Subject.objects.count(), Relation.objects.count()
    assert 10 <= counts[0] <= 20 and counts[1] >= 10
    call_command("demo-setup", stdout=io.StringIO())
    assert (Subject.objects.count(), Relation.objects.count()) == counts
    other = User.objects.get(username="analist-dorpen")
    assert search.search(user=other, query="Jan van der Berg").empty
