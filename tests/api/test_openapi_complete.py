"""The OpenAPI document is the contract: every operation says what it answers on success
(a schema, or a file's media type) and which problem+json errors it can give."""

import pytest

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", path, method, operation


def test_every_success_answer_has_a_schema(document):
    missing = []
    for name, _path, _method, operation in _operations(document):
        successes = {
            code: answer for code, answer in operation["responses"].items() if code[0] == "2"
        }
        if not successes:
            missing.append(f"{name}: no success status")
        for code, answer in successes.items():
            if code == "204":
                continue
            content = answer.get("content") or {}
            if not content or not all(media.get("schema") for media in content.values()):
                missing.append(f"{name} {code}")
    assert not missing, "operations answering without a documented schema:\n" + "\n".join(missing)


def test_every_operation_documents_its_problems(document):
    missing = []
    for name, path, method, operation in _operations(document):
        responses = operation["responses"]
        takes_input = "requestBody" in operation or any(
            p["in"] == "query" for p in operation.get("parameters", [])
        )
        security = operation.get("security", [{}])
        authenticates = security != [{}]  # a token or session is read (and can be refused)
        public = {} in security
        expected = {"406"}
        if authenticates:
            expected.add("401")
        if not public or (authenticates and method != "get"):
            expected.add("403")  # a permission, or a session's CSRF check
        if takes_input:
            expected.add("400")
        if "{" in path:
            expected.add("404")
        for code in sorted(expected - set(responses)):
            missing.append(f"{name}: {code}")
        for code, answer in responses.items():
            if code[0] == "4":
                schema = (answer.get("content") or {}).get(PROBLEM, {}).get("schema")
                if schema != {"$ref": "#/components/schemas/Problem"}:
                    missing.append(f"{name}: {code} is not a problem+json Problem")
    assert not missing, "problems the document does not list:\n" + "\n".join(missing)


def test_the_public_endpoints_document_their_rate_limit(document):
    for path, method in [
        ("/api/v1/reports", "post"),
        ("/api/v1/attachments", "post"),
        ("/api/v1/followup", "post"),
        ("/api/v1/followup/messages", "post"),
    ]:
        assert "429" in document["paths"][path][method]["responses"], path


def test_the_files_are_documented_with_their_media_types(document):
    paths = document["paths"]
    accountability = paths["/api/v1/cases/{id}/accountability"]["get"]["responses"]["200"]
    assert "application/pdf" in accountability["content"]
    handover = paths["/api/v1/cases/{id}/handovers"]["post"]["responses"]["201"]
    assert "application/zip" in handover["content"]


def test_named_subjects_of_a_report_carry_their_report_subject_id(document):
    """GET /reports/{id} gives each named subject the id /report-subjects/{id}/… needs."""
    schemas = document["components"]["schemas"]
    report = schemas["Report"]
    subject_ref = report["properties"]["subjects"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert "report_subject" in schemas[subject_ref]["properties"]
