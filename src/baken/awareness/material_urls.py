"""Routes of the awareness app: see urls.py. The material for trainings: a page with its
previews, and each piece as a file."""

from django.urls import URLPattern, path

from . import material_views as views

BASE = "werkruimte/bewustwording/materiaal"

urlpatterns: list[URLPattern] = [
    path(BASE, views.material_page, name="material"),
    path(f"{BASE}/poster.pdf", views.poster, name="poster"),
    path(f"{BASE}/zakkaart.pdf", views.pocket_card, name="pocket_card"),
    path(f"{BASE}/signalen.png", views.slide, name="slide"),
    path(f"{BASE}/intranet", views.intranet, name="intranet"),
]
