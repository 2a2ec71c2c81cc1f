"""Geography: areas (districts, neighbourhoods) with point-in-area, and the local address
register. Below reports in the order of the apps (docs/adr/0026-layers-of-apps.md), so that
routing, the inbox's area filter and the public form's address lookup need nothing above it."""
