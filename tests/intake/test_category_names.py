"""Every category has a Dutch name on the Dutch pages: the default catalogue's one English
name ("Outlaw motorcycle gangs") becomes "Motorbendes (OMG's)" unless the municipality chose
its own name already (migration 0007)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from baken.reports.models import Category

BEFORE = ("intake", "0006_attachment_added_later")
AFTER = ("intake", "0007_category_motorbendes_dutch_name")


@pytest.mark.django_db
def test_the_meldpunt_offers_the_motorcycle_gangs_in_dutch(client):
    page = client.get(reverse("intake:report")).content.decode()
    assert "Motorbendes (OMG&#x27;s)" in page or "Motorbendes (OMG's)" in page
    assert "Outlaw" not in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_only_the_untouched_english_name():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])
        assert Category.objects.get(code="motorbendes").name == "Outlaw motorcycle gangs"
        executor.loader.build_graph()
        executor.migrate([AFTER])
        assert Category.objects.get(code="motorbendes").name == "Motorbendes (OMG's)"

        executor.loader.build_graph()
        executor.migrate([BEFORE])
        Category.objects.filter(code="motorbendes").update(name="Motorclubs")
        executor.loader.build_graph()
        executor.migrate([AFTER])
        assert Category.objects.get(code="motorbendes").name == "Motorclubs"
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
