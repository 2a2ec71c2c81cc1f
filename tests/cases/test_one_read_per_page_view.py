"""One view of the case page is one read entry in the audit log (issue 12, item 7): the page
loads no panels of its own, so it logs the case once, whatever it shows."""

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.audit.verification import verify_chain

pytestmark = pytest.mark.django_db


def test_one_view_of_the_case_page_is_one_read(verified_client, analyst, case):
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    page = verified_client(analyst).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and 'hx-trigger="load"' not in page.content.decode()
    written = AuditEntry.objects.filter(seq__gt=last, actor_id=analyst.pk)
    assert [e.action for e in written.filter(action__endswith=".read")] == ["case.read"]
    assert verify_chain().ok
