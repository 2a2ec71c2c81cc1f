"""The awareness app's routes (issue 17), one list per part, mounted at the root:

- /melden/over: the page for employees (about_urls),
- /melden/oefenen: practice scenarios, and their admin and counts (practice_urls),
- /werkruimte/bewustwording/materiaal: poster, pocket card, slide, intranet block
  (material_urls),
- /werkruimte/bewustwording/trainingen and the figures (training_urls),
- /beheer/afdelingen: the departments (department_urls),
- /werkruimte/bewustwording/cijfers: what the awareness work brings, in figures
  (figures_urls).
"""

from . import (
    about_urls,
    department_urls,
    figures_urls,
    material_urls,
    practice_urls,
    training_urls,
)

app_name = "awareness"
urlpatterns = (
    about_urls.urlpatterns
    + practice_urls.urlpatterns
    + material_urls.urlpatterns
    + training_urls.urlpatterns
    + department_urls.urlpatterns
    + figures_urls.urlpatterns
)
