from functools import wraps

from django.core.exceptions import PermissionDenied


def capability_required(capability: str):
    """Let only users whose role grants `capability` reach the view (403 for the rest).

    Login itself is enforced for every view by LoginRequiredMiddleware.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or not request.user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
