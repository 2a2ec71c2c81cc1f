from django.urls import reverse

from baken.core.roles import Capability

from .navigation import menu_for


def navigation(request):
    current = request.resolver_match.view_name if request.resolver_match else ""
    user = request.user
    return {
        # One search box for reports and subjects, on every page of the workspace.
        "search_url": reverse("subjects:search")
        if user.is_authenticated and user.can(Capability.WORKSPACE)
        else "",
        "menu": [
            {
                "url": reverse(item.url_name),
                "label": item.label,
                "current": item.url_name == current,
            }
            for item in menu_for(request.user)
        ],
    }
