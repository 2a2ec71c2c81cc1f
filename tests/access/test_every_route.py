"""Need-to-know on every route, from the URL resolver (issue 14).

Every route of the project is declared in tests/access/routes.py: public, role-only, or
scoped by the kinds of object in its path. Each scoped route is called with objects that
exist in another team and another case, as every role, with every method it takes: the
answer is a refusal (404, or 403/405 the same as for an object that does not exist), shows
nothing of the object, and no table gains or loses a row and no object named in the path
changes. The same route called by someone who may know the object is no 404 — so the ids
are real. A route in no list fails; so does a declaration whose route is gone.

docs/need-to-know.md says what to do when adding a route.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .routes import ROUTES, Free, Ids, Narrows, Public, RoleOnly, Scoped
from .world import World, build

# Rows that a refused request may write and that say nothing of the object asked for:
# - django_session: the test clients' sessions (logging in happens before; a session may be
#   saved again with a new expiry on any request);
# - the API token's last use is an UPDATE of the token, no row.
# The audit log is counted: a refusal writes nothing to it, and a read logged for someone who
# may not read would be a leak.
UNCOUNTED_TABLES = {"django_session"}

HTML_METHODS = ("GET", "POST")
# A body that a form or a serializer would mostly take: a refusal must come before it is
# read, so that a 400 cannot tell that the object exists.
BODY = {
    "text": "Ik was hier.",
    "rationale": "Omdat het kan.",
    "reason": "Omdat het kan.",
    "motivation": "Omdat het kan.",
    "title": "Overgenomen",
    "purpose": "Nieuwsgierig",
    "findings": "Gevonden",
    "hit": True,
    "approve": True,
    "choice": "ja",
    "kind": "advance",
    "name": "Overgenomen",
    "description": "Een beschrijving die lang genoeg is.",
    "team": None,
    "assignee": None,
}


def walk(resolver=None, prefix: str = "", namespace: str = ""):
    """(key, route, parameters, callback) for every URL pattern, included ones too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            key = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            params = list(getattr(entry.pattern, "converters", {}))
            yield key or route, route, params, entry.callback


ALL_ROUTES = {key: (route, params, callback) for key, route, params, callback in walk()}


def test_every_route_is_declared():
    undeclared = sorted(set(ALL_ROUTES) - set(ROUTES))
    assert not undeclared, (
        "Routes in no list of tests/access/routes.py (declare each as Public, role(...) or "
        f"scoped(...); see docs/need-to-know.md): {undeclared}"
    )


def test_every_declaration_has_a_route():
    gone = sorted(set(ROUTES) - set(ALL_ROUTES))
    assert not gone, f"Declared in tests/access/routes.py but no longer a route: {gone}"


@pytest.mark.parametrize("key", sorted(set(ROUTES) & set(ALL_ROUTES)))
def test_declared_kinds_are_the_path_parameters(key):
    declared = ROUTES[key]
    _route, params, _callback = ALL_ROUTES[key]
    if isinstance(declared, Scoped | RoleOnly):
        assert sorted(declared.kinds) == sorted(params), key
    else:
        assert isinstance(declared, Public) and declared.reason


# --- the world --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the module, rolled back at its end; each test runs in a savepoint."""
    from django.conf import settings

    saved = settings.EXPORT_DIR
    settings.EXPORT_DIR = tmp_path_factory.mktemp("exports")
    with django_db_blocker.unblock(), transaction.atomic():
        made = build()
        yield made
        transaction.set_rollback(True)
    settings.EXPORT_DIR = saved


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATELIMIT_ENABLE = False


def tables() -> list[str]:
    names = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    return sorted((names & existing) - UNCOUNTED_TABLES)


def counts(names: list[str]) -> dict[str, int]:
    q = connection.ops.quote_name
    # The names are the models' own tables, not input.
    sql = " UNION ALL ".join(f"SELECT '{n}', COUNT(*) FROM {q(n)}" for n in names)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


SNAPSHOT_MODELS = {
    "report": "reports.Report",
    "subject": "subjects.Subject",
    "relation": "subjects.Relation",
    "case": "cases.Case",
    "task": "cases.Task",
    "consultation": "cases.Consultation",
    "intervention": "cases.Intervention",
    "handover": "cases.Handover",
    "export": "exports.Export",
    "notification": "notifications.Notification",
    "saved_filter": "reports.SavedFilter",
    "routing_rule": "reports.RoutingRule",
    "category": "reports.Category",
    "criterion": "reports.Criterion",
}


def snapshot(world: World) -> dict:
    """The rows of the objects named in the paths, to see that none changed in place."""
    rows = {}
    for kind, label in SNAPSHOT_MODELS.items():
        model = apps.get_model(label)
        rows[kind] = list(model.objects.filter(pk=world.ids[kind]).values())
    from baken.cases.models import CaseMember

    rows["case_member"] = list(
        CaseMember.objects.filter(case_id=world.ids["case"]).order_by("pk").values()
    )
    return rows


# --- calling a route --------------------------------------------------------------------


def is_api(key: str) -> bool:
    return key.startswith("api:") or key.startswith("api/")


def methods_of(key: str, world: World | None = None) -> list[str]:
    """The methods a route takes: an API view's own; a page GET and POST, and any other
    that it does not answer with 405 (html_methods_taken; only when the world is given)."""
    _route, _params, callback = ALL_ROUTES[key]
    cls = getattr(callback, "cls", None)
    if cls is not None and is_api(key):
        return [
            m.upper()
            for m in cls.http_method_names
            if hasattr(cls, m) and m not in ("options", "head", "trace")
        ]
    return [*HTML_METHODS, *(html_methods_taken(world, key) if world is not None else [])]


# A page that takes PUT, PATCH or DELETE besides GET and POST (htmx's hx-delete, or a view
# that treats every method but POST as GET) is walked with it too. Which ones do is asked
# once per route, as someone who may use it, and kept here.
OTHER_HTML_METHODS = ("PUT", "PATCH", "DELETE")
# route -> [(method, tables whose rows changed)], asked once per route.
_TAKEN: dict[str, list[tuple[str, dict]]] = {}


def insider_of(world: World, key: str) -> str:
    declared = ROUTES[key]
    if isinstance(declared, Scoped):
        return "privacy" if declared.also else "lead_south"
    if isinstance(declared, RoleOnly):
        if "team_lead" in declared.roles:
            return "lead_south"
        return next(
            n for n, a in world.actors.items() if a.user is not None and a.role in declared.roles
        )
    return "anonymous"


def html_methods_asked(world: World, key: str) -> list[tuple[str, dict]]:
    """The other methods a page does not answer with 405, each with the tables whose rows
    it changed for someone who may use the page (rolled back)."""
    if key not in _TAKEN:
        names = tables()
        taken = []
        for method in OTHER_HTML_METHODS:
            with transaction.atomic():
                before = counts(names)
                response = call(world, insider_of(world, key), key, method, url_for(key, world.ids))
                after = counts(names)
                transaction.set_rollback(True)
            if response.status_code != 405:
                changed = {t: (before[t], after[t]) for t in names if before[t] != after[t]}
                taken.append((method, changed))
        _TAKEN[key] = taken
    return _TAKEN[key]


def html_methods_taken(world: World, key: str) -> list[str]:
    return [method for method, _changed in html_methods_asked(world, key)]


def url_for(key: str, values: dict[str, object]) -> str:
    declared = ROUTES[key]
    kinds = getattr(declared, "kinds", {})  # a public route names no object
    return reverse(key, kwargs={param: values[kind] for param, kind in kinds.items()})


def call(world: World, actor_name: str, key: str, method: str, url: str):
    actor = world.actors[actor_name]
    client = actor.html
    if is_api(key):
        extra = actor.api_headers()
        if method == "GET":
            return client.get(url, **extra)
        return client.generic(
            method, url, json.dumps(BODY), content_type="application/json", **extra
        )
    if method == "GET":
        return client.get(url)
    form = {k: ("" if v is None else v) for k, v in BODY.items()}
    if method == "POST":
        return client.post(url, form)
    return client.generic(
        method, url, urlencode(form), content_type="application/x-www-form-urlencoded"
    )


def refused(response, actor_name: str, key: str) -> bool:
    if actor_name == "anonymous":
        if is_api(key):
            return response.status_code in (401, 403, 404, 405)
        if response.status_code == 302:
            return reverse("accounts:login") in response["Location"]
        return response.status_code in (403, 404, 405)
    return response.status_code in (403, 404, 405)


def shown(world: World, response) -> list[str]:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", "replace")
    return [secret for secret in world.secrets if secret in text]


def check_refused(world: World, actor_name: str, key: str, names: list[str]) -> list[str]:
    """Call `key` as `actor_name` with Zuid's objects by every method; the problems found."""
    problems = []
    for method in methods_of(key, world):
        before_counts, before_rows = counts(names), snapshot(world)
        response = call(world, actor_name, key, method, url_for(key, world.ids))
        where = f"{method} {key} as {actor_name}"
        if not refused(response, actor_name, key):
            problems.append(f"{where}: {response.status_code}, not refused")
        elif (
            is_api(key)
            and response.status_code in (403, 404)
            and response["Content-Type"] != "application/problem+json"
        ):
            problems.append(f"{where}: a refusal as {response['Content-Type']}")
        if leaked := shown(world, response):
            problems.append(f"{where}: the answer shows {leaked}")
        after_counts = counts(names)
        changed = {
            t: (before_counts[t], after_counts[t])
            for t in names
            if before_counts[t] != after_counts[t]
        }
        if changed:
            problems.append(f"{where}: rows counted before/after changed: {changed}")
        if snapshot(world) != before_rows:
            problems.append(f"{where}: an object named in the path changed")
        # The same answer as for an object that does not exist: it says nothing of this one.
        ghost = call(world, actor_name, key, method, url_for(key, world.missing))
        if ghost.status_code != response.status_code:
            problems.append(
                f"{where}: {response.status_code} for Zuid's object but "
                f"{ghost.status_code} for one that does not exist"
            )
    return problems


def outsiders(world: World, declared: Scoped) -> list[str]:
    kinds = set(declared.kinds.values())
    names = []
    for name, actor in world.actors.items():
        if world.knows[name] & kinds:
            continue  # may know the object: not an outsider of this route
        if actor.user is not None and actor.user.role in declared.also:
            continue
        names.append(name)
    return names


def partly_knowing(world: World, declared: Scoped) -> list[str]:
    return [
        name
        for name in world.actors
        if name != "lead_south"
        and name not in outsiders(world, declared)
        and world.actors[name].user.role not in declared.also
    ]


SCOPED = sorted(k for k, v in ROUTES.items() if isinstance(v, Scoped) and k in ALL_ROUTES)
ROLE_ONLY = sorted(k for k, v in ROUTES.items() if isinstance(v, RoleOnly) and k in ALL_ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("key", SCOPED)
def test_another_teams_object_is_out_of_reach(world, key):
    declared = ROUTES[key]
    names = tables()
    problems = []
    for actor_name in outsiders(world, declared):
        problems += check_refused(world, actor_name, key, names)
    assert not problems, "\n".join(problems)

    # Who may know one object of the path but not everything of Zuid (the analyst of Zuid,
    # who sees the team's report but is no member of its case) sees no more than that.
    for actor_name in partly_knowing(world, declared):
        if "GET" in methods_of(key):
            response = call(world, actor_name, key, "GET", url_for(key, world.ids))
            leaked = set(shown(world, response)) - world.sees[actor_name]
            assert not leaked, f"GET {key} as {actor_name}: the answer shows {sorted(leaked)}"

    # The ids are real: someone who may know the object is not told it does not exist.
    insider = "privacy" if declared.also else "lead_south"
    method = "GET" if "GET" in methods_of(key) else methods_of(key)[0]
    response = call(world, insider, key, method, url_for(key, world.ids))
    assert response.status_code not in (403, 404) and response.status_code < 500, (
        f"{method} {key} as {insider}, who may know the object: {response.status_code}"
    )


def check_allowed(world: World, actor_name: str, key: str, declared: RoleOnly) -> list[str]:
    """A role that may use the route: no refusal, and nothing of another team's objects."""
    if "GET" not in methods_of(key):
        return []
    problems = []
    response = call(world, actor_name, key, "GET", url_for(key, world.ids))
    if response.status_code in (403, 404) or response.status_code >= 500:
        problems.append(f"GET {key} as {actor_name}: {response.status_code}")
    leaked = set(shown(world, response)) - world.sees[actor_name]
    if leaked and not declared.shows_all:
        problems.append(f"GET {key} as {actor_name}: the answer shows {sorted(leaked)}")
    return problems


def check_role_refused(
    world: World, actor_name: str, key: str, declared: RoleOnly, names: list[str]
) -> list[str]:
    """A role that may not use the route: refused, nothing shown, nothing written."""
    problems = []
    for method in methods_of(key, world):
        if method in declared.public_methods:
            continue
        before = counts(names)
        response = call(world, actor_name, key, method, url_for(key, world.ids))
        where = f"{method} {key} as {actor_name}"
        if not refused(response, actor_name, key):
            problems.append(f"{where}: {response.status_code}, not refused")
        if leaked := shown(world, response):
            problems.append(f"{where}: the answer shows {leaked}")
        after = counts(names)
        changed = {t: (before[t], after[t]) for t in names if before[t] != after[t]}
        if changed:
            problems.append(f"{where}: rows counted before/after changed: {changed}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROLE_ONLY)
def test_a_role_only_route_refuses_the_other_roles(world, key):
    declared = ROUTES[key]
    names = tables()
    problems = []
    for actor_name, actor in world.actors.items():
        if actor_name == "lead_south":
            continue  # the owner of Zuid's objects: no outsider
        if actor.user is not None and actor.user.role in declared.roles:
            problems += check_allowed(world, actor_name, key, declared)
        else:
            problems += check_role_refused(world, actor_name, key, declared, names)
    assert not problems, "\n".join(problems)


PUBLIC = sorted(
    k for k, v in ROUTES.items() if isinstance(v, Public) and k in ALL_ROUTES and ":" in k
)


@pytest.mark.django_db
@pytest.mark.parametrize("key", PUBLIC)
def test_a_public_route_needs_no_login(client, key):
    """A route declared public is one: nobody signed in is not sent to the login page or
    refused (the method may be wrong: 405)."""
    url = reverse(key)
    response = client.get(url) if "GET" in methods_of(key) else client.post(url)
    if response.status_code == ROUTES[key].answers:
        return
    assert response.status_code not in (401, 403) and response.status_code < 500, (
        f"{key}: {response.status_code}"
    )
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("accounts:login") + "?next"), key


# --- ids in a request's body ----------------------------------------------------------------
# A write whose path names an object the actor may reach can name another in its body (the
# report added to a case, the other subject of a relation, the member given a task). Each
# such field is declared with its route (routes.Ids); here every actor sends it, with the
# path of their own team or case, naming an object of another team or another case: the
# answer is a refusal (in the API a 4xx; a page may show the form again or redirect with a
# message), nothing is written (no row added or removed, the audit log included, no object
# of the path or of the other team changed in place) and nothing of the object is shown.

# What each write needs besides the ids to be taken (the ids come from world.own): checked
# by test_a_body_with_own_ids_is_taken, so that a refusal below is the id's doing.
VALID = {
    "reports:filter_save": {"name": "Mijn filter"},
    "reports:link": {"kind": "related"},
    "reports:merge": {"leading": "this"},
    "subjects:judge": {"judgement": "same"},
    "subjects:relation_add": {"kind": "associate_of"},
    "cases:join": {"join-rationale": "Hoort erbij."},
    "cases:handler_set": {"handler-rationale": "Kent de zaak."},
    "cases:task_add": {"deadline": "2031-01-31"},
    "exports:create": {"kind": "reports", "format": "csv"},
    "api:reports": {"category": "drugs", "description": "Een melding met een foto erbij."},
    "api:followup-messages": {"text": "Nog een foto."},
    "api:report-links": {"kind": "related"},
    "api:report-subject-judgements": {"judgement": "not_same"},
    "api:subject-relations": {"kind": "associate_of", "inverse": False, "source_registry": ""},
    "api:case-tasks": {"deadline": "2031-01-31"},
    "api:exports": {"kind": "reports", "format": "csv"},
    "api:routing-rules": {"postcode_prefix": "9999", "category": None, "area": None},
    "api:routing-rule": {"postcode_prefix": "9999", "category": None, "area": None},
}
# Writes whose own-ids body cannot be taken in this world, and why (the refusals are still
# checked; only the proof that the rest of the body is right is missing).
NO_CONTROL = {
    "subjects:unmerge": "needs a subject merged into the path's subject",
    "api:subject-unmerge": "needs a subject merged into the path's subject",
    "subjects:create_from": "the named subject is linked already (judged the same)",
    "api:report-merge": "the own report would merge into itself",
}


def walked_fields(declared) -> dict:
    return {n: f for n, f in declared.body.items() if isinstance(f, Ids | Narrows)}


BODY_ROUTES = sorted(k for k, v in ROUTES.items() if k in ALL_ROUTES and walked_fields(v))


def put(body: dict, name: str, value, field) -> None:
    """Write `value` into `body` at the declared field name (routes.Body)."""
    if "?" in name:
        holder, parameter = name.split("?")
        body[holder] = urlencode({parameter: value})
    elif "." in name:
        outer, inner = name.split(".")
        body[outer] = {**body.get(outer, {}), inner: [str(value)]}
    else:
        many = isinstance(field, Ids) and field.many
        body[name] = [str(value) if not isinstance(value, int) else value] if many else value


# Writes that take one of their id fields, not both (a notice is of a report or a subject),
# and the report they take is the case's own, the one handed over.
ONE_OF = {"cases:handover_informed", "api:case-handover-notices"}


# Bodies of the Meldpunt's format, which refuses a field it does not know.
BARE = {"api:reports", "api:followup-messages"}
# Writes whose path report is the actor's other report (the case's own is in the case).
PATH_OWN = {"cases:join"}


def own_body(world: World, actor_name: str, key: str, only: str = "") -> dict:
    body = {**({} if key in BARE else BODY), **VALID.get(key, {})}
    for name, field in ROUTES[key].body.items():
        if isinstance(field, Free) and field.kind:
            body[name] = world.own[actor_name][field.kind]
    for name, field in walked_fields(ROUTES[key]).items():
        if key in ONE_OF and name != (only or next(iter(walked_fields(ROUTES[key])))):
            continue
        value = world.own[actor_name].get(field.kind)
        if key in ONE_OF and field.kind == "report":
            value = world.home[actor_name]["report"]
        if value is not None:
            put(body, name, value, field)
    return body


def home_url(world: World, actor_name: str, key: str) -> str:
    declared = ROUTES[key]
    kinds = getattr(declared, "kinds", {})
    values = world.home[actor_name] if isinstance(declared, Scoped) else world.ids
    if key in PATH_OWN:
        values = {**values, "report": world.own[actor_name]["report"]}
    return reverse(key, kwargs={param: values[kind] for param, kind in kinds.items()})


def send(world: World, actor_name: str, key: str, method: str, body: dict):
    actor = world.actors[actor_name]
    url = home_url(world, actor_name, key)
    if key == "api:followup-messages":
        body = {**body, "receipt_code": world.receipt_code}
    if is_api(key):
        return actor.html.generic(
            method,
            url,
            json.dumps(body, default=str),
            content_type="application/json",
            **actor.api_headers(),
        )
    form = {k: ("" if v is None else v) for k, v in body.items()}
    return actor.html.generic(
        method, url, urlencode(form, doseq=True), content_type="application/x-www-form-urlencoded"
    )


HOME_MODELS = {
    "report": "reports.Report",
    "case": "cases.Case",
    "subject": "subjects.Subject",
    "handover": "cases.Handover",
}


def home_snapshot(world: World, actor_name: str) -> dict:
    """The rows of the actor's own objects (a write may change them in place)."""
    from baken.cases.models import CaseMember

    home, own = world.home[actor_name], world.own[actor_name]
    rows = {}
    for kind, label in HOME_MODELS.items():
        model = apps.get_model(label)
        pks = {home[kind], own.get(kind, home[kind])}
        rows[kind] = list(model.objects.filter(pk__in=pks).order_by("pk").values())
    rows["members"] = list(CaseMember.objects.filter(case_id=home["case"]).order_by("pk").values())
    return rows


def control_actor(world: World, key: str) -> str:
    """Someone who may do the write with their own ids: Noord's team lead, or the role."""
    declared = ROUTES[key]
    if isinstance(declared, Public) or (isinstance(declared, RoleOnly) and declared.public_methods):
        return "anonymous"
    if isinstance(declared, RoleOnly) and "team_lead" not in declared.roles:
        return next(
            n for n, a in world.actors.items() if a.user is not None and a.role in declared.roles
        )
    return "lead_north"


def write_methods(key: str) -> list[str]:
    """The methods that take a body (a DELETE in the API takes none)."""
    return [m for m in methods_of(key) if m in ("POST", "PUT", "PATCH")]


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(set(BODY_ROUTES) - set(NO_CONTROL)))
def test_a_body_with_own_ids_is_taken(world, key):
    """The walk below sends a body that the write takes when its ids are the actor's own:
    so a refusal there is the other team's id's doing, not a missing field's."""
    actor_name = control_actor(world, key)
    for method in write_methods(key):
        with transaction.atomic():
            response = send(world, actor_name, key, method, own_body(world, actor_name, key))
            transaction.set_rollback(True)
        assert response.status_code < 400, (
            f"{method} {key} as {actor_name} with its own ids: {response.status_code} "
            f"{response.content[:600]!r}"
        )
        if response.status_code == 200 and not is_api(key):
            assert b"errorlist" not in response.content, f"{method} {key}: a form error"


def exported(world: World, actor_name: str, before: set) -> str:
    """The files of the exports a request made, as text."""
    from baken.exports.models import Export

    actor = world.actors[actor_name]
    texts = []
    for export in Export.objects.exclude(pk__in=before).filter(user=actor.user):
        response = actor.html.get(
            reverse("api:export-file", args=[export.pk]), **actor.api_headers()
        )
        if response.status_code == 200:
            texts.append(
                b"".join(response.streaming_content) if response.streaming else response.content
            )
    return b"".join(texts).decode("utf-8", "replace")


def foreign_bodies(world: World, actor_name: str, key: str):
    """(field name, what it names, body) for each id of another team or case the actor sends."""
    for name, field in walked_fields(ROUTES[key]).items():
        own = world.own[actor_name].get(field.kind)
        for label, objects in world.foreign[actor_name]:
            value = objects.get(field.kind)
            if value is None or value == own:
                continue
            body = own_body(world, actor_name, key, only=name)
            put(body, name, value, field)
            yield name, field, f"{label}'s {field.kind}", body


AUDIT_TABLE = "audit_auditentry"


def audit_written(world: World, actor_name: str, since: int) -> list[str]:
    """The audit entries since `since`, but a view of the actor's own path object: a write
    refused for its body may have read the path first (`case.read` of their own case)."""
    from baken.audit.models import AuditEntry

    mine = {str(v) for v in [*world.home[actor_name].values(), *world.own[actor_name].values()]}
    return [
        f"{entry.action} {entry.object_type} {entry.object_id}"
        for entry in AuditEntry.objects.filter(seq__gt=since)
        if not (entry.action.endswith(".read") and entry.object_id in mine)
    ]


def last_audit() -> int:
    from baken.audit.models import AuditEntry

    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def check_body(world: World, actor_name: str, key: str, names: list[str]) -> list[str]:
    from baken.exports.models import Export

    names = [n for n in names if n != AUDIT_TABLE]
    problems = []
    for method in write_methods(key):
        for name, field, what, body in foreign_bodies(world, actor_name, key):
            before = counts(names), snapshot(world), home_snapshot(world, actor_name)
            audited = last_audit()
            exports = set(Export.objects.values_list("pk", flat=True))
            response = send(world, actor_name, key, method, body)
            where = f"{method} {key} as {actor_name}, {name}={what}"
            leaked = set(shown(world, response)) - world.sees[actor_name]
            if isinstance(field, Narrows):
                # A filter may be taken: what it makes shows nothing of the other team.
                made = exported(world, actor_name, exports)
                leaked |= {secret for secret in world.secrets if secret in made}
                problems += [f"{where}: shows {sorted(leaked)}"] if leaked else []
                continue
            if leaked:
                problems.append(f"{where}: the answer shows {sorted(leaked)}")
            status = response.status_code
            if is_api(key) and not (refused(response, actor_name, key) or status in (400, 409)):
                problems.append(f"{where}: {status}, not refused")
            after = counts(names), snapshot(world), home_snapshot(world, actor_name)
            changed = {t: (before[0][t], after[0][t]) for t in names if before[0][t] != after[0][t]}
            if changed:
                problems.append(f"{where}: {status}, rows changed: {changed}")
            if written := audit_written(world, actor_name, audited):
                problems.append(f"{where}: {status}, the audit log has {written}")
            if after[1] != before[1]:
                problems.append(f"{where}: {status}, an object of Zuid changed")
            if after[2] != before[2]:
                problems.append(f"{where}: {status}, the actor's own object changed")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("key", BODY_ROUTES)
def test_another_teams_object_in_the_body_is_out_of_reach(world, key):
    names = tables()
    problems = []
    for actor_name in world.actors:
        if actor_name == "lead_south":
            continue  # the owner of Zuid's objects
        problems += check_body(world, actor_name, key, names)
    assert not problems, "\n".join(problems)


HTML_ROUTES = sorted(k for k in set(ROUTES) & set(ALL_ROUTES) if not is_api(k) and ":" in k)


@pytest.mark.django_db
def test_a_page_that_takes_put_patch_or_delete_writes_nothing_with_it(world):
    """No form of Baken sends PUT, PATCH or DELETE (no hx-delete either), but a page whose
    view has no method decorator takes them as a GET: the walks above call those pages with
    them too. Called with them by someone who may use the page, none writes anything (an
    audit entry of a read aside)."""
    written = {}
    for key in HTML_ROUTES:
        for method, changed in html_methods_asked(world, key):
            changed.pop(AUDIT_TABLE, None)
            if changed:
                written[f"{method} {key}"] = changed
    assert not written, written


# --- every id in a body is declared -------------------------------------------------------
# A body field that can name an object: a number or a UUID (or a list of them), an object of
# filters, or a name that says so. Each such field of the API's request bodies (from the
# OpenAPI document, which the serializers make) and of the forms on the workspace's pages
# must be declared with its route in routes.py.
ID_NAMES = {"report", "reports", "case", "subject", "user", "team", "handler", "assignee"}
ID_NAMES |= {"other", "into", "merge", "merged", "named", "rule", "consultation", "filters"}


def names_an_object(name: str, prop: dict) -> bool:
    items = prop.get("items") or {}
    numbers = {"integer", "number"}
    return (
        name in ID_NAMES
        or name.endswith(("_id", "_ids", "_pk", "_report", "_subject", "_case"))
        or prop.get("type") in numbers
        or prop.get("format") == "uuid"
        or items.get("type") in numbers
        or items.get("format") == "uuid"
    )


def request_bodies() -> dict[tuple[str, str], dict]:
    """(route, method) -> the properties of its JSON request body, from the OpenAPI document."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    bodies = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            body = content.get("application/json") or next(iter(content.values()), None)
            if body is None:
                continue
            ref = body["schema"].get("$ref", "")
            props = components[ref.rsplit("/", 1)[-1]] if ref else body["schema"]
            key = resolve(re.sub(r"\{[^}]+\}", "1", path)).view_name
            bodies[(key, method.upper())] = props.get("properties", {})
    return bodies


def declared_fields(declared) -> set[str]:
    """The body's own field names (`filters` of `filters.team`, `query` of `query?team`)."""
    return {re.split(r"[.?]", name)[0] for name in declared.body}


def test_every_id_in_an_api_body_is_declared():
    undeclared = [
        f"{method} {key}: {name}"
        for (key, method), props in sorted(request_bodies().items())
        for name, prop in props.items()
        if names_an_object(name, prop) and name not in declared_fields(ROUTES[key])
    ]
    assert not undeclared, (
        "Body fields that can name an object, not declared with their route in "
        f"tests/access/routes.py (Ids, Narrows, Free or NotAnId): {undeclared}"
    )


def test_every_declared_body_field_is_in_a_body():
    """A declaration of a body field that no request body has is a mistake (or a rename)."""
    api = {}
    for (key, _method), props in request_bodies().items():
        api.setdefault(key, set()).update(props)
    stale = [
        f"{key}: {name}"
        for key, declared in sorted(ROUTES.items())
        if is_api(key)
        for name in declared.body
        if name.split(".")[0] not in api.get(key, set())
    ]
    assert not stale, stale


class Forms(HTMLParser):
    """The forms that post, on a page: (action, {field name: [values]})."""

    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self.current = page, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            posts = (attrs.get("method") or "get").lower() == "post"
            action = attrs.get("action") or attrs.get("hx-post") or self.page
            self.current = (action, {}) if posts else None
            if self.current is not None:
                self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "select", "option", "button"):
            if tag == "option":
                name = getattr(self, "select", None)
            else:
                name = attrs.get("name")
                if tag == "select":
                    self.select = name
            if name and attrs.get("type") not in ("text", "search", "date", "file", "submit"):
                self.current[1].setdefault(name, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


# Pages with the workspace's write forms, as someone who may use them (with htmx: a panel).
FORM_PAGES = [
    ("lead_south", "reports:detail", "report"),
    ("lead_south", "subjects:report_panel", "report"),
    ("lead_south", "cases:report_panel", "report"),
    ("lead_south", "reports:related", "report"),
    ("lead_south", "cases:detail", "case"),
    ("lead_south", "subjects:detail", "subject"),
    ("lead_south", "subjects:relations", "subject"),
    ("lead_south", "reports:inbox", ""),
    ("lead_south", "exports:list", ""),
    ("privacy", "cases:consultation_queue", ""),
]
# Write forms with ids that these pages do not show: on pages of their own (opening a case,
# the join search, the export form, the inbox's save form), or only next to a suggestion
# this world does not make (a related report, a candidate subject, a merged subject): their
# fields are declared by reading the views (subjects/views.py, reports/related_views.py).
FORMS_ELSEWHERE = {"cases:open", "cases:join", "exports:create", "reports:filter_save"}
FORMS_ELSEWHERE |= {"reports:link", "reports:merge", "subjects:judge", "subjects:create_from"}
FORMS_ELSEWHERE |= {"subjects:merge", "subjects:unmerge"}
NOT_IDS = {"csrfmiddlewaretoken", "next", "panel", "action", "leading"}


@pytest.mark.django_db
def test_every_id_in_a_form_is_declared(world):
    from django.urls import resolve

    undeclared, seen = set(), set()
    for actor_name, page, kind in FORM_PAGES:
        url = reverse(page, kwargs={"pk": world.ids[kind]} if kind else {})
        response = world.actors[actor_name].html.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, (page, response.status_code)
        parser = Forms(url)
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            key = resolve(action.split("?")[0]).view_name
            seen.add(key)
            for name, values in fields.items():
                numbers = [v for v in values if v] and all(v.isdigit() for v in values if v)
                bare = name.rsplit("-", 1)[-1]  # a form's prefix: join-case
                looks = numbers or bare in ID_NAMES or names_an_object(bare, {})
                if looks and name not in NOT_IDS and name not in declared_fields(ROUTES[key]):
                    undeclared.add(f"{key}: {name} {values[:3]}")
    assert not undeclared, sorted(undeclared)
    # The pages hold the forms whose ids the walk sends (not a test of nothing).
    with_ids = {k for k in BODY_ROUTES if not is_api(k)}
    assert with_ids - seen <= FORMS_ELSEWHERE, sorted(with_ids - seen - FORMS_ELSEWHERE)
