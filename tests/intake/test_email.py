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


@pytest.mark.django_db(transaction=True)
def test_the_acknowledgement_is_sent_by_the_worker_not_in_the_reporters_request(
    client, smtp_server, settings
):
    """The reporter's request only enqueues it (a mail server that is slow or down never
    holds the reporter up); the queued task names the report, not the address; the worker
    sends it and the log says the system read the contact details to do so."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from baken.audit.models import AuditEntry

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    named = {
        "anonymous": False,
        "name": "Sanne Wijkagent",
        "email": "sanne@gemeente.example",
        "may_contact": True,
    }
    answer = client.post(
        "/api/v1/reports",
        {"description": "Busjes die 's nachts laden bij de loods.", "reporter": named},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert smtp_server.messages == []
    queued = DBTaskResult.objects.get()
    assert (
        "sanne" not in str(queued.args_kwargs) and answer.json()["id"] in queued.args_kwargs["args"]
    )

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [m["To"] for m in smtp_server.messages] == ["sanne@gemeente.example"]
    assert answer.json()["reference"] in smtp_server.messages[0]["Subject"]
    assert AuditEntry.objects.filter(
        action="reporter.notify", actor_role="system", object_id=str(answer.json()["id"])
    ).exists()


def test_no_acknowledgement_for_a_report_destroyed_before_the_worker_came(
    client, smtp_server, settings
):
    from baken.intake.notifications import acknowledge

    assert acknowledge(report_id=987654321) is False
    assert smtp_server.messages == []
