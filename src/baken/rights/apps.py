from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "baken.rights"
    label = "rights"
    verbose_name = _("Rights of data subjects")
    # Restore's proof that the data key fits: a stored access overview decrypts (part B).
    decrypt_sample = "baken.rights.disclosure.decrypt_sample"
