"""Baken's own settings plus one bare view, the floor the intake benchmark compares with."""

from baken.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
