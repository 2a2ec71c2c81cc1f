import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from baken.reports.models import Category

pytestmark = pytest.mark.django_db


def test_default_catalogue_of_the_design_is_installed():
    codes = list(Category.objects.values_list("code", flat=True))
    assert len(codes) == 12 and codes[-1] == "niet-pluis"
    drugs = Category.objects.get(code="drugs")
    assert any("hennep" in i.text for i in drugs.indicators.all())
    assert all(c.indicators.exists() for c in Category.objects.all())


@pytest.mark.django_db(transaction=True)
def test_catalogue_migration_reverses_and_reapplies():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("intake", "0001_initial")])
        executor.loader.build_graph()
        assert Category.objects.only("code").count() == 0
        executor.migrate([("intake", "0002_default_catalogue")])
        assert Category.objects.only("code").count() == 12
    finally:
        # Back to the latest schema, or every later test meets the old one.
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
