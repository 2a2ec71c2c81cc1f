"""The model protocol's stages 3 to 5 as the first version of the default case type
(cases/catalogue.py); the functional administrator changes it by making new versions."""

from django.db import migrations


def forwards(apps, schema_editor):
    from baken.cases.catalogue import install

    install(apps)


def backwards(apps, schema_editor):
    apps.get_model("cases", "CaseTypeVersion").objects.filter(
        case_type__code="modelprotocol"
    ).delete()
    apps.get_model("cases", "CaseType").objects.filter(code="modelprotocol").delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
