"""Start the test identity provider: migrate, make users and the client, serve until killed.

Usage: python -m tests.oidc_provider.serve PORT CONFIG_JSON
CONFIG_JSON holds {"users": [{"username", "password", "email", ...}], "client":
{"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"}}. Prints
"ready" on stdout once it answers.
"""

import json
import os
import sys

import django


def main() -> None:
    port, config = int(sys.argv[1]), json.loads(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, get_internal_wsgi_application, run
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, run_syncdb=True)
    for spec in config["users"]:
        User.objects.create_user(**spec)
    client = config["client"]
    Application.objects.create(
        name="Baken",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirect_uris"]),
        post_logout_redirect_uris=" ".join(client["post_logout_redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    print("ready", flush=True)
    run("127.0.0.1", port, get_internal_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main()
