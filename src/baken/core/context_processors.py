from django.urls import reverse

from .navigation import menu_for


def navigation(request):
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "menu": [
            {
                "url": reverse(item.url_name),
                "label": item.label,
                "current": item.url_name == current,
            }
            for item in menu_for(request.user)
        ]
    }
