"""What a backup and a restore ask of the cases app (core/backup.py, core/restore.py): each
case is an owner of sealed rows, its key written apart from the database (ADR 0032). Named
in CasesConfig, so that core need not import cases."""

from baken.core.sealing import Owner

from .models import Case, CaseKey

OWNER = Owner(model=Case, key_model=CaseKey, field="case", purpose="baken.cases.case-key.wrap.v1")
