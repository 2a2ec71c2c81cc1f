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

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .routes import ROUTES, Public, RoleOnly, Scoped
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


def methods_of(key: str) -> list[str]:
    _route, _params, callback = ALL_ROUTES[key]
    cls = getattr(callback, "cls", None)
    if cls is not None and is_api(key):
        return [
            m.upper()
            for m in cls.http_method_names
            if hasattr(cls, m) and m not in ("options", "head", "trace")
        ]
    return list(HTML_METHODS)


def url_for(key: str, values: dict[str, object]) -> str:
    declared = ROUTES[key]
    kwargs = {param: values[kind] for param, kind in declared.kinds.items()}
    return reverse(key, kwargs=kwargs)


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
    return client.post(url, {k: ("" if v is None else v) for k, v in BODY.items()})


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
    for method in methods_of(key):
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
    for method in methods_of(key):
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
