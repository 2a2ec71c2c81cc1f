"""The OpenAPI document's answers: every operation lists the problem+json errors it can give.

drf-spectacular documents what a view declares with `extend_schema`. The errors that follow
from how every view is built are added here, once, so the document cannot forget them:

- 400 when the operation takes a body or query parameters (serializers validate them);
- 401 when it authenticates at all (an unknown or revoked token is refused even where no
  login is needed);
- 403 when a permission applies, or a session's CSRF check on a method that changes things;
- 404 when the path names an object (need-to-know: one not to be known is not found);
- 406 always (content negotiation on `Accept`); with a body 413 (larger than
  BAKEN_REQUEST_MAX_KB) and 415 (not JSON).

A status only some operations give (409, 429) is declared on the view with
`baken.core.problems.problem(...)`. Every 4xx answer is `application/problem+json`.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import AllowAny

from baken.core.problems import PROBLEM, PROBLEM_DESCRIPTIONS, ProblemSerializer, problem


class AutoSchema(SpectacularAutoSchema):
    def _problem_statuses(self) -> set[int]:
        statuses = {406}
        has_body = self.method in ("POST", "PUT", "PATCH") and bool(self._get_request_body())
        in_query = any(p.get("in") == "query" for p in self._get_parameters())
        authenticates = bool(getattr(self.view, "authentication_classes", None))
        try:
            permissions = self.view.get_permissions()
        except Exception:  # noqa: BLE001 (a view that needs a real request: assume checks)
            permissions = []
        public = all(isinstance(p, AllowAny) for p in permissions)
        if authenticates:
            statuses.add(401)
        if not public or (authenticates and self.method != "GET"):
            statuses.add(403)
        if has_body or in_query:
            statuses.add(400)
        if has_body:
            statuses.update({413, 415})
        if "{" in self.path:
            statuses.add(404)
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        problem_ref = self.resolve_serializer(ProblemSerializer, direction).ref
        for status in self._problem_statuses():
            responses.setdefault(
                str(status), self._get_response_for_code(problem(status=status), str(status))
            )
        for code, response in responses.items():
            if code.startswith("4"):
                response["content"] = {PROBLEM: {"schema": problem_ref}}
                if not response.get("description"):
                    response["description"] = PROBLEM_DESCRIPTIONS.get(int(code), "")
        return dict(sorted(responses.items()))
