"""A page as the browser shows it: its HTML followed by the panels that htmx loads into it
when it opens (`hx-trigger="load"`), each fetched with the same client."""

import re


def page_with_panels(client, url: str) -> str:
    page = client.get(url).content.decode()
    for panel in re.findall(r'hx-get="([^"]+)" hx-trigger="load"', page):
        page += client.get(panel.replace("&amp;", "&")).content.decode()
    return page
