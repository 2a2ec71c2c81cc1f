from django.urls import path  # noqa: F401  (the helpers' paths are added below)

app_name = "subjects"
urlpatterns: list = []
