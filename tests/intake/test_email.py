import pytest

pytestmark = pytest.mark.django_db


def test_acknowledgement_reaches_a_real_smtp_server_without_content(
    client, smtp_server, django_capture_on_commit_callbacks
):
    payload = {
        "description": "Veel korte bezoekjes aan het pand aan de Dorpsstraat, ook 's nachts.",
        "reporter": {
            "anonymous": False,
            "name": "Sanne Wijkagent",
            "email": "sanne@gemeente.example",
        },
    }
    with django_capture_on_commit_callbacks(execute=True):
        reference = client.post("/api/v1/reports", payload, content_type="application/json").json()[
            "reference"
        ]
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "sanne@gemeente.example"
    body = message.get_content()
    assert reference in message["Subject"] and reference in body
    assert "Dorpsstraat" not in body and "bezoekjes" not in body


def test_no_mail_for_anonymous_or_do_not_contact(
    client, smtp_server, django_capture_on_commit_callbacks
):
    base = {"description": "Een winkel zonder klanten die toch altijd open is."}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/v1/reports", base, content_type="application/json")
        client.post(
            "/api/v1/reports",
            dict(
                base,
                reporter={
                    "anonymous": False,
                    "name": "Piet",
                    "email": "p@x.example",
                    "may_contact": False,
                },
            ),
            content_type="application/json",
        )
    assert smtp_server.messages == []
