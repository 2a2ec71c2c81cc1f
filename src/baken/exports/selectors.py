"""Reading exports: each user sees only their own. Another user's export is None, exactly
as one that does not exist (a 404 for the views and the API)."""

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from baken.accounts.models import User

from .models import Export


def export_list(*, user: User | AnonymousUser) -> QuerySet[Export]:
    if isinstance(user, AnonymousUser) or not user.is_active:
        return Export.objects.none()
    return Export.objects.filter(user=user)


def export_get(*, user: User | AnonymousUser, pk: uuid.UUID | str) -> Export | None:
    try:
        key = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except ValueError:
        return None
    return export_list(user=user).filter(pk=key).first()
