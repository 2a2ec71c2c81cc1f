"""Reading exports: each user sees only their own. Another user's export is None, exactly
as one that does not exist (a 404 for the views and the API)."""

import uuid

from django.db.models import QuerySet

from .models import Export


def export_list(*, user) -> QuerySet[Export]:
    if not user.is_authenticated or not user.is_active:
        return Export.objects.none()
    return Export.objects.filter(user=user)


def export_get(*, user, pk: uuid.UUID | str) -> Export | None:
    try:
        key = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except ValueError:
        return None
    return export_list(user=user).filter(pk=key).first()
