from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
@login_not_required
def bare(request):
    """The least a Django view on this server can do with a POST: read the body, answer."""
    return JsonResponse({"length": len(request.body)}, status=201)


urlpatterns = [path("bench/bare", bare), path("", include("baken.urls"))]
