"""The default catalogue named one category in English ("Outlaw motorcycle gangs") on Dutch
pages (issue 12). Give it its Dutch name, but only where the municipality did not rename it
already: after installation the catalogue is theirs (0002_default_catalogue)."""

from django.db import migrations

CODE = "motorbendes"
ENGLISH, DUTCH = "Outlaw motorcycle gangs", "Motorbendes (OMG's)"


def to_dutch(apps, schema_editor):
    apps.get_model("intake", "Category").objects.filter(code=CODE, name=ENGLISH).update(name=DUTCH)


def to_english(apps, schema_editor):
    apps.get_model("intake", "Category").objects.filter(code=CODE, name=DUTCH).update(name=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_attachment_added_later")]

    operations = [migrations.RunPython(to_dutch, to_english)]
