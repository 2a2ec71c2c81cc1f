"""The English interface writes moments the same way round as the Dutch one (day first,
24-hour clock), so a screenshot or a printed page reads alike in both languages."""

from baken.core.formats.nl.formats import *  # noqa: F403
