from django.utils.functional import SimpleLazyObject

from .selectors import receives_notifications, unread_count


def unread(request):
    """The header's count of unread notifications: one COUNT, and only on a page that
    shows it (the template reads it lazily)."""
    user = getattr(request, "user", None)
    if user is None or not receives_notifications(user):
        return {}
    return {
        "notifications_shown": True,
        "notifications_unread": SimpleLazyObject(lambda: unread_count(user=user)),
    }
