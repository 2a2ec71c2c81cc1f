"""Baken: meldpunt en werkruimte voor de aanpak van ondermijning."""
