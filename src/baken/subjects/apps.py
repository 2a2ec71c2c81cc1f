from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "baken.subjects"
    verbose_name = _("Subjects")
