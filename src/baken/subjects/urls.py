from django.urls import path

from . import map_views, relation_views, views

app_name = "subjects"
urlpatterns: list = [
    # Matching on the report page (issue 5, item 1) and the subject page (item 4).
    path("meldingen/<int:pk>/betrokkenen", views.report_panel, name="report_panel"),
    path("meldingen/<int:pk>/betrokkenen/oordeel", views.judge, name="judge"),
    path("meldingen/<int:pk>/betrokkenen/nieuw", views.create_from, name="create_from"),
    path("<int:pk>", views.detail, name="detail"),
    path("<int:pk>/samenvoegen", views.merge, name="merge"),
    path("<int:pk>/ontvlechten", views.unmerge, name="unmerge"),
    # Relations and the network (issue 5, items 3 and 5).
    path("<int:pk>/relaties", relation_views.relations, name="relations"),
    path(
        "<int:pk>/relaties/kandidaten",
        relation_views.relation_candidates,
        name="relation_candidates",
    ),
    path("<int:pk>/relaties/toevoegen", relation_views.add, name="relation_add"),
    path(
        "<int:pk>/relaties/<int:relation_pk>/verwijderen",
        relation_views.remove,
        name="relation_remove",
    ),
    path("<int:pk>/netwerk", relation_views.network, name="network"),
    path("<int:pk>/netwerk.json", relation_views.network_data, name="network_data"),
    # The map and search (issue 5, items 6 and 8).
    path("kaart", map_views.map_page, name="map"),
    path("zoeken", map_views.search_page, name="search"),
]
