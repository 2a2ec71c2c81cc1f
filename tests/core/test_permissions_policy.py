"""Every answer carries a Permissions-Policy that switches off the browser features Baken
never uses (camera, microphone, location, payment, USB, ...)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/melden", "/inloggen", "/api/v1/schema", "/healthz", "/nergens"])
def test_every_answer_has_the_permissions_policy(client, path):
    header = client.get(path)["Permissions-Policy"]
    features = dict(part.split("=", 1) for part in header.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
