"""Every route of Baken, declared: public, role-only, or scoped by the objects in its path.

tests/access/test_every_route.py walks the URL resolver and fails for a route that is in no
list here (and for an entry here whose route is gone). docs/need-to-know.md says how to
declare a new route.

- `Public(reason)`: anyone may use it, signed in or not (the Meldpunt, logging in, health...).
- `Role(roles, ...)`: no object of a team or case in its path; only `roles` may use it. The
  test calls it as every other role and expects a refusal that changes nothing; as the roles
  that may, it expects no 403/404 and, for a list or an overview, none of another team's
  objects in the answer. `kinds` names the configuration objects in the path (a category, a
  routing rule, ...): every such object is the functional administrator's, whatever its team.
- `Scoped(kinds)`: the path names objects that belong to a team or a case; `kinds` gives the
  kind of each path parameter, in order. The test calls it with objects that exist in another
  team and another case, as every role, and expects 404 (or 403/405), nothing of the object in
  the answer and no row added, changed in number or removed; and as someone who may know the
  object, no 404.
"""

from dataclasses import dataclass, field

from baken.core.roles import Role

WORKSPACE = frozenset({Role.INTAKE, Role.ANALYST, Role.CASE_HANDLER, Role.TEAM_LEAD})
INSIGHTS = frozenset({Role.ANALYST, Role.TEAM_LEAD})
READERS = frozenset({Role.ANALYST, Role.TEAM_LEAD, Role.MANAGEMENT})  # the weekly overview
CONFIGURE = frozenset({Role.ADMIN})
AUDIT = frozenset({Role.PRIVACY_OFFICER})
MANAGEMENT = frozenset({Role.MANAGEMENT})
EVERY_ROLE = frozenset(Role.values)
# Notifications exist for the workspace and the privacy officer (notifications.selectors).
NOTIFIED = WORKSPACE | AUDIT


# --- what a request's body names -------------------------------------------------------
# Every field of a write's body that can name an object (an id, a list of ids, a filter) is
# declared with its route, as one of these (test_every_route names an undeclared one):


@dataclass(frozen=True)
class Ids:
    """The field names objects of `kind` that the actor must be allowed to reach: the test
    sends, with a path object the actor may reach, one of another team and of another case
    (and one the actor may know but not act on) and expects a refusal that writes nothing.

    `kind` is one of world.py's kinds, or `user` (any user of the team the write is about) or
    `member` (a current member of the case in the path)."""

    kind: str
    many: bool = False  # a list of ids


@dataclass(frozen=True)
class Narrows:
    """A filter of a list the actor may see (`team=` of an export): the request may be
    taken, but what it makes shows nothing of the other team's objects."""

    kind: str
    why: str


@dataclass(frozen=True)
class Free:
    """The field may name any object of its kind by design (say why): configuration that
    belongs to no team (a criterion, a source), or a team to hand a report to."""

    why: str
    # The kind it names, when the test fills it in (with the actor's own: their team).
    kind: str = ""


@dataclass(frozen=True)
class NotAnId:
    """A number or key that looks like an id but names no stored object (say what it is)."""

    why: str


BodyField = Ids | Narrows | Free | NotAnId
# A body field's name: `report`; nested in an object: `filters.team` (a list of values); in
# a query string held by a form field: `query?team`.
Body = dict[str, BodyField]


@dataclass(frozen=True)
class Public:
    reason: str
    # The status a GET by nobody signed in answers when it is not a plain 2xx or 3xx: the
    # page that explains a refused single sign-on is itself a 403.
    answers: int | None = None
    body: Body = field(default_factory=dict)


@dataclass(frozen=True)
class RoleOnly:
    roles: frozenset
    kinds: dict[str, str] = field(default_factory=dict)
    # Methods anyone may use (the Meldpunt's POST next to the workspace's GET).
    public_methods: frozenset = frozenset()
    # Shows objects of every team to its roles by design (say why); not checked for them.
    shows_all: str = ""
    body: Body = field(default_factory=dict)


@dataclass(frozen=True)
class Scoped:
    kinds: dict[str, str]
    # Roles that may know the object although it is another team's, by design (say why).
    also: frozenset = frozenset()
    why_also: str = ""
    body: Body = field(default_factory=dict)


def role(roles, kinds=None, **extra) -> RoleOnly:
    return RoleOnly(roles=frozenset(roles), kinds=kinds or {}, **extra)


def scoped(body: Body | None = None, **kinds) -> Scoped:
    return Scoped(kinds=kinds, body=body or {})


CONFIGURATION = Free("configuration, the administrator's, of no team")
# The request register (rights): the privacy officer finds and judges a requester's data in
# every team's reports, subjects, relations, cases and hand-overs, by design.
RIGHTS_ALL = "the privacy officer finds a requester's data in every team's, by design"
RIGHTS_JUDGE: Body = {
    "object_id": Free("the privacy officer judges any item found about the requester"),
}
# Carrying out a request (part C): a confirmed item of the request in the path.
RIGHTS_ITEM = {"pk": "data_request", "hit_pk": "data_hit"}
RIGHTS_ITEMS = Free("the request's own confirmed items, which the privacy officer judged")


# The registers (privacy app): what every team shared, and the recipients of all of it.
SHARING_ALL = "the privacy officer keeps the register of what every team shared"
PROCESSING_ALL = "the processing register names every recipient seen, organisations only"


# An awareness training names departments (configuration, by code) and a number of people.
TRAINING: Body = {
    "departments": Free("the municipality's departments: configuration, of no team"),
    "participants": NotAnId("how many took part"),
}

# The access review names the reads of every team's people, by design (oversight, issue 16).
READS_OF_EVERY_TEAM = "the privacy officer reviews the reads of every team's people"
FILTER_TEAM = Narrows("team", "a list's filter: the list holds only what the user may see")
ASSIGNMENT: Body = {
    "team": Free("a report may be handed to any team: that is routing", kind="team"),
    "assignee": Ids("user"),  # a person of that team (routing.check_assignee)
}
POSITIONS = NotAnId("positions in the report's list of named subjects")
RELATION: Body = {"other": Ids("subject"), "source_report": Ids("report")}
NOTICE: Body = {"report": Ids("report"), "subject": Ids("subject")}
# A case may be shared with people of another team: its team lead decides (ADR 0018).
MEMBER: Body = {"user": Free("a case may be shared with another team's people", kind="user")}
PHOTOS: Body = {"attachments": Ids("attachment", many=True)}
RULE: Body = {
    "team": Free("the administrator routes to any team", kind="team"),
    "assignee": Ids("user"),  # a person of the rule's team (routing.check_assignee)
    "position": NotAnId("the rule's place in the routing order"),
    "category": CONFIGURATION,
    "area": CONFIGURATION,
}
# A department's place in the Meldpunt's list (issue 17).
DEPARTMENT: Body = {"position": NotAnId("the place in the list of departments")}
RULE_PREVIEW: Body = {"rule": CONFIGURATION, "category": CONFIGURATION, "area": CONFIGURATION}

REPORT = scoped(pk="report")
CASE = scoped(pk="case")
SUBJECT = scoped(pk="subject")
REPORT_SUBJECT = scoped(pk="report_subject")

ROUTES: dict[str, Public | RoleOnly | Scoped] = {
    # --- core, accounts, language -------------------------------------------------------
    "core:home": role(EVERY_ROLE),  # sends each person where their role begins
    "core:health": Public("the load balancer's health check; says nothing about content"),
    "core:system_status": role(CONFIGURE),
    "accounts:login": Public("logging in"),
    "accounts:verify": Public("the second factor of logging in"),
    "accounts:enrol": Public("setting up the second factor while logging in"),
    "accounts:sso_start": Public("single sign-on starts here"),
    "accounts:sso_callback": Public("the identity provider returns here"),
    "accounts:sso_refused": Public("single sign-on refused: an explanation", answers=403),
    "accounts:logout": role(EVERY_ROLE),
    "accounts:account": role(EVERY_ROLE),
    "accounts:recovery_codes": role(EVERY_ROLE),
    "accounts:logout_everywhere": role(EVERY_ROLE),
    "accounts:users": role(CONFIGURE, shows_all="the administrator manages every account"),
    "accounts:user_create": role(CONFIGURE),
    "accounts:user_detail": role(CONFIGURE, {"pk": "user"}),
    "set_language": Public("choosing the language, also on the Meldpunt"),
    "javascript-catalog": Public("the translations of the scripts, also on the Meldpunt"),
    # --- intake -------------------------------------------------------------------------
    "intake:report": Public("the Meldpunt"),
    "intake:followup": Public("the Meldpunt's follow-up, behind the reporter's code"),
    "intake:service_worker": Public("the Meldpunt's offline script"),
    "intake:manifest": Public("the Meldpunt's web app manifest"),
    "awareness:about": Public("what undermining is and what happens to a report, for everyone"),
    # Practising (issue 17): anyone, signed in or not. The answer's path names a practice
    # scenario (configuration, of no team), which Public cannot declare: every method public.
    "awareness:practice": Public("practising with situations at work, for every employee"),
    "awareness:practice_answer": role(
        EVERY_ROLE, {"pk": "practice_scenario"}, public_methods=frozenset({"GET", "POST"})
    ),
    "intake:categories": role(CONFIGURE),
    "intake:category_create": role(CONFIGURE),
    "intake:category_edit": role(CONFIGURE, {"pk": "category"}),
    # The departments a reporter may name (issue 17): configuration, of no team.
    "awareness:departments": role(CONFIGURE),
    "awareness:department_create": role(CONFIGURE),
    "awareness:department_edit": role(CONFIGURE, {"pk": "department"}),
    "awareness:practice_admin": role(CONFIGURE),
    "awareness:practice_create": role(CONFIGURE),
    "awareness:practice_edit": role(CONFIGURE, {"pk": "practice_scenario"}),
    # Anonymous counts of the practice answers (issue 17), for the trainings.
    "awareness:practice_counts": role(INSIGHTS | CONFIGURE),
    # The material for a training (issue 17): made from the settings and the catalogue,
    # nothing of a team or a person.
    "awareness:material": role(INSIGHTS | CONFIGURE),
    "awareness:poster": role(INSIGHTS | CONFIGURE),
    "awareness:pocket_card": role(INSIGHTS | CONFIGURE),
    "awareness:slide": role(INSIGHTS | CONFIGURE),
    "awareness:intranet": role(INSIGHTS | CONFIGURE),
    "intake:contact": REPORT,
    "intake:contact_panel": REPORT,
    # --- audit log ----------------------------------------------------------------------
    "audit:log": role(AUDIT, shows_all="the privacy officer reads the whole audit log"),
    "audit:csv": role(AUDIT, shows_all="the privacy officer reads the whole audit log"),
    # --- retention (the privacy app) -----------------------------------------------------
    "privacy:overview": role(AUDIT | CONFIGURE | {Role.TEAM_LEAD}),
    "privacy:rule_propose": role(CONFIGURE),
    "privacy:rule_decide": role(AUDIT, {"pk": "retention_rule"}),
    "privacy:hold_place": role(
        AUDIT | {Role.TEAM_LEAD},
        body={
            "reference": Free(
                "a reference the actor may not know reads as unknown "
                "(privacy.selectors.hold_target)"
            )
        },
    ),
    # A hold belongs to its report's or case's team; the privacy officer lifts any.
    "privacy:hold_lift": Scoped(
        kinds={"pk": "legal_hold"},
        also=AUDIT,
        why_also="the privacy officer places and lifts holds on every team's reports",
    ),
    "privacy:list_approve": role(AUDIT),
    "privacy:list_remove": role(AUDIT, {"pk": "destruction_proposal"}),
    "privacy:statement": role(AUDIT, {"pk": "retention_run"}),
    "privacy:statement_pdf": role(AUDIT, {"pk": "retention_run"}),
    # The registers (issue 16): the sharing register is every team's by design; the processing
    # register counts every team's recipients (organisations, by name), no person.
    "registers:sharing": role(AUDIT, shows_all=SHARING_ALL),
    "registers:sharing_csv": role(AUDIT, shows_all=SHARING_ALL),
    "registers:processing": role(AUDIT | CONFIGURE, shows_all=PROCESSING_ALL),
    "registers:processing_pdf": role(AUDIT | CONFIGURE, shows_all=PROCESSING_ALL),
    # --- reports ------------------------------------------------------------------------
    "reports:inbox": role(WORKSPACE),
    "reports:filter_save": role(WORKSPACE, body={"query?team": FILTER_TEAM}),
    "reports:criteria": role(CONFIGURE),
    "reports:criterion_create": role(CONFIGURE),
    "reports:criterion_edit": role(CONFIGURE, {"pk": "criterion"}),
    "reports:filter_delete": scoped(pk="saved_filter"),
    "reports:detail": REPORT,
    "reports:improve": scoped(
        pk="report",
        body={
            "revision": NotAnId("the revision a change is based on"),
            "house_number": NotAnId("a house number"),
            "remove_subjects": POSITIONS,
        },
    ),
    "reports:note_add": REPORT,
    "reports:criterion_answer": scoped(pk="report", body={"criterion": CONFIGURATION}),
    "reports:weighing_save": REPORT,
    "reports:decide": REPORT,
    "reports:ask": REPORT,
    "reports:attachment_add": REPORT,
    "reports:attachment": scoped(pk="report", attachment_id="attachment"),
    "reports:suggestion": REPORT,
    "reports:routing_rules": role(CONFIGURE),
    "reports:routing_rule_add": role(CONFIGURE),
    "reports:routing_test": role(CONFIGURE),
    "reports:routing_rule_edit": role(CONFIGURE, {"pk": "routing_rule"}),
    "reports:routing_rule_delete": role(CONFIGURE, {"pk": "routing_rule"}),
    "reports:routing_rule_toggle": role(CONFIGURE, {"pk": "routing_rule"}),
    "reports:routing_rule_move": role(CONFIGURE, {"pk": "routing_rule"}),
    "reports:routing_preview": role(CONFIGURE),
    "reports:routing_rule_preview": role(CONFIGURE, {"pk": "routing_rule"}),
    "reports:assign": scoped(pk="report", body=ASSIGNMENT),
    "reports:workload": role(INSIGHTS),  # reports.routing.can_see_workload
    "reports:related": REPORT,
    "reports:link": scoped(pk="report", body={"other": Ids("report")}),
    "reports:merge": scoped(pk="report", body={"other": Ids("report")}),
    "reports:unmerge": REPORT,
    "reports:split": scoped(pk="report", body={"subjects": POSITIONS}),
    "reports:unsplit": REPORT,
    # --- subjects -----------------------------------------------------------------------
    "subjects:report_panel": REPORT,
    "subjects:judge": scoped(
        pk="report", body={"named": Ids("report_subject"), "subject": Ids("subject")}
    ),
    "subjects:create_from": scoped(pk="report", body={"named": Ids("report_subject")}),
    "subjects:detail": SUBJECT,
    "subjects:merge": scoped(pk="subject", body={"other": Ids("subject")}),
    "subjects:unmerge": scoped(pk="subject", body={"merged": Ids("subject")}),
    "subjects:relations": SUBJECT,
    "subjects:relation_candidates": SUBJECT,
    "subjects:relation_add": scoped(pk="subject", body=RELATION),
    "subjects:relation_remove": scoped(pk="subject", relation_pk="relation"),
    "subjects:network": SUBJECT,
    "subjects:network_data": SUBJECT,
    "subjects:map": role(WORKSPACE),
    "subjects:search": role(WORKSPACE),
    # --- cases --------------------------------------------------------------------------
    "cases:list": role(WORKSPACE),
    "cases:report_panel": REPORT,
    "cases:subject_panel": SUBJECT,
    "cases:detail": CASE,
    "cases:open": scoped(report_pk="report", body={"handler": Ids("user")}),
    "cases:join": scoped(report_pk="report", body={"join-case": Ids("case")}),
    "cases:note": CASE,
    "cases:answer": scoped(pk="case", body={"criterion": CONFIGURATION}),
    "cases:advance": CASE,
    "cases:close": scoped(pk="case", body={"close-result": CONFIGURATION}),
    "cases:reopen": CASE,
    "cases:member_add": scoped(pk="case", body=MEMBER),
    "cases:handler_set": scoped(pk="case", body={"handler-handler": Ids("member")}),
    "cases:member_remove": scoped(pk="case", user_pk="case_member"),
    "cases:review": Scoped(
        kinds={"pk": "case"},
        also=AUDIT,
        why_also="the privacy officer reviews any case on request, with a reason, logged",
    ),
    "cases:consultation_request": scoped(pk="case", body={"source": CONFIGURATION}),
    "cases:consultation_hit": scoped(pk="case", consultation_pk="consultation"),
    "cases:consultation_findings": scoped(pk="case", consultation_pk="consultation"),
    "cases:consultation_queue": role(
        AUDIT,
        shows_all="the privacy officer decides on every team's source research",
        body={"consultation": Free("the privacy officer decides on every team's research")},
    ),
    "cases:intervention_add": scoped(pk="case", body={"kind": CONFIGURATION}),
    "cases:intervention_update": scoped(pk="case", intervention_pk="intervention"),
    "cases:handover": CASE,
    "cases:handover_informed": scoped(pk="case", handover_pk="handover", body=NOTICE),
    "cases:accountability": CASE,
    "cases:task_add": scoped(pk="case", body={"assignee": Ids("member")}),
    "cases:task_done": scoped(pk="case", task_pk="task"),
    "cases:my_tasks": role(WORKSPACE),
    "cases:case_types": role(CONFIGURE),
    "cases:version_new": role(CONFIGURE, {"type_pk": "case_type"}),
    "cases:version": role(CONFIGURE, {"pk": "case_type_version"}),
    "cases:catalogue_add": role(CONFIGURE, {"kind": "catalogue"}),
    # --- insights -----------------------------------------------------------------------
    "insights:dashboard": role(INSIGHTS),
    "insights:hotspots": role(INSIGHTS),
    "insights:hotspot_reports": role(INSIGHTS),
    "insights:management": role(MANAGEMENT),
    "insights:overview": role(READERS),
    "insights:overview_subscription": role(READERS),
    "insights:overview_week": role(READERS, {"week": "week"}),
    "insights:overview_pdf": role(READERS, {"week": "week"}),
    # --- exports ------------------------------------------------------------------------
    "exports:list": role(WORKSPACE | MANAGEMENT),
    "exports:create": role(WORKSPACE | MANAGEMENT, body={"query?team": FILTER_TEAM}),
    # What the awareness work brings (issue 17): counts of the team's own reports only.
    "awareness:figures": role(INSIGHTS),
    "exports:detail": scoped(pk="export"),
    "exports:progress": scoped(pk="export"),
    "exports:file": scoped(pk="export"),
    # --- notifications ------------------------------------------------------------------
    "notifications:list": role(NOTIFIED),
    "notifications:open": scoped(pk="notification"),
    "notifications:read": scoped(pk="notification"),
    "notifications:read_all": role(NOTIFIED),
    "notifications:preferences": role(NOTIFIED),
    # --- API ----------------------------------------------------------------------------
    "api:schema": Public("the OpenAPI document describes the API, not its content"),
    "api:me": role(EVERY_ROLE),
    "api:audit-entries": role(AUDIT, shows_all="the privacy officer reads the whole audit log"),
    "api:categories": Public("the Meldpunt's categories"),
    # The Meldpunt lists the active departments to anyone; the administrator keeps them.
    "api:departments": role(CONFIGURE, public_methods=frozenset({"GET"}), body=DEPARTMENT),
    "api:department": role(CONFIGURE, {"code": "department_code"}, body=DEPARTMENT),
    "api:practice-scenarios": Public("the practice scenarios, like the Meldpunt's catalogue"),
    "api:practice-scenario-answers": role(
        EVERY_ROLE, {"pk": "practice_scenario"}, public_methods=frozenset({"POST"})
    ),
    "api:practice-scenario-counts": role(INSIGHTS | CONFIGURE),
    "api:attachments": Public("the Meldpunt's attachments, before a report is sent"),
    "api:addresses": Public(
        "the Meldpunt's address lookup", body={"house_number": NotAnId("a house number")}
    ),
    "api:reports": role(
        WORKSPACE,
        public_methods=frozenset({"POST"}),
        body={**PHOTOS, "signs": Free("the catalogue's signs: configuration, of no team")},
    ),
    "api:report": scoped(
        pk="report", body={"revision": NotAnId("the revision a change is based on")}
    ),
    "api:report-versions": REPORT,
    "api:report-notes": REPORT,
    "api:report-criteria": scoped(pk="report", body={"criterion": CONFIGURATION}),
    "api:report-weighing": REPORT,
    "api:report-decision": REPORT,
    "api:report-transitions": REPORT,
    "api:report-messages": REPORT,
    "api:report-contact": REPORT,
    "api:followup": Public("the Meldpunt's follow-up, behind the reporter's code"),
    "api:followup-messages": Public(
        "the Meldpunt's follow-up, behind the reporter's code", body=PHOTOS
    ),
    "api:report-category-suggestion": REPORT,
    "api:routing-rules": role(CONFIGURE, body=RULE),
    "api:routing-rules-test": role(CONFIGURE),
    "api:routing-rules-preview": role(CONFIGURE, body=RULE_PREVIEW),
    "api:routing-rule": role(CONFIGURE, {"pk": "routing_rule"}, body=RULE),
    "api:report-assignment": scoped(pk="report", body=ASSIGNMENT),
    "api:report-related": REPORT,
    "api:report-links": scoped(pk="report", body={"other": Ids("report")}),
    "api:report-merge": scoped(pk="report", body={"into": Ids("report")}),
    "api:report-unmerge": REPORT,
    "api:report-split": scoped(pk="report", body={"subjects": POSITIONS}),
    "api:report-unsplit": REPORT,
    "api:subject": SUBJECT,
    "api:subject-merge": scoped(pk="subject", body={"merge": Ids("subject")}),
    "api:subject-unmerge": scoped(pk="subject", body={"merged": Ids("subject")}),
    "api:report-subject-candidates": REPORT_SUBJECT,
    "api:report-subject-judgements": scoped(pk="report_subject", body={"subject": Ids("subject")}),
    "api:report-subject-subject": REPORT_SUBJECT,
    "api:subject-relations": scoped(pk="subject", body=RELATION),
    "api:relation": scoped(pk="relation"),
    "api:subject-network": SUBJECT,
    "api:subject-ftm": SUBJECT,
    "api:search": role(WORKSPACE),
    "api:cases": role(
        WORKSPACE, body={"reports": Ids("report", many=True), "handler": Ids("user")}
    ),
    "api:weekly-overviews": role(READERS),
    "api:weekly-overview": role(READERS, {"week": "week"}),
    "api:case": CASE,
    "api:case-answers": scoped(pk="case", body={"criterion": CONFIGURATION}),
    "api:case-steps": scoped(pk="case", body={"result": CONFIGURATION}),
    "api:case-members": scoped(pk="case", body=MEMBER),
    "api:case-handler": scoped(pk="case", body={"handler": Ids("member")}),
    "api:case-consultations": scoped(pk="case", body={"source": CONFIGURATION}),
    "api:case-consultation": scoped(pk="case", consultation_pk="consultation"),
    "api:consultation-decision": Scoped(
        kinds={"consultation_pk": "consultation"},
        also=AUDIT,
        why_also="the privacy officer decides on every team's source research",
    ),
    "api:case-interventions": scoped(pk="case", body={"kind": CONFIGURATION}),
    "api:case-intervention": scoped(pk="case", intervention_pk="intervention"),
    "api:case-handovers": scoped(
        pk="case", body={"request_key": NotAnId("a key of the client's choosing")}
    ),
    "api:case-handover-notices": scoped(pk="case", handover_pk="handover", body=NOTICE),
    "api:case-reports": scoped(pk="case", body={"report": Ids("report")}),
    "api:case-notes": CASE,
    "api:case-tasks": scoped(pk="case", body={"assignee": Ids("member")}),
    "api:case-task-done": scoped(pk="case", task_pk="task"),
    "api:my-tasks": role(WORKSPACE),
    "api:case-accountability": CASE,
    "api:case-member-removal": scoped(pk="case", user_pk="case_member"),
    "api:exports": role(WORKSPACE | MANAGEMENT, body={"filters.team": FILTER_TEAM}),
    "api:export": scoped(pk="export"),
    "api:export-file": scoped(pk="export"),
    "api:map-points": role(WORKSPACE),
    "api:map-areas": role(WORKSPACE),
    "api:figures": role(INSIGHTS | MANAGEMENT),
    # What the awareness work brings (issue 17): the team's reports, or suppressed for management.
    "api:awareness-figures": role(INSIGHTS | MANAGEMENT),
    "api:notifications": role(NOTIFIED),
    "api:notification-read": scoped(pk="notification"),
    # Retention over the API: the page's rules (privacy.selectors, privacy.services).
    "api:retention-rules": role(
        AUDIT | CONFIGURE,
        body={
            "period_amount": NotAnId("a period's length, in its unit"),
            "case_type": CONFIGURATION,  # the scope of a rule for closed cases
        },
    ),
    "api:retention-rule-approve": role(AUDIT, {"pk": "retention_rule"}),
    "api:retention-rule-reject": role(AUDIT, {"pk": "retention_rule"}),
    "api:retention-holds": role(
        AUDIT | {Role.TEAM_LEAD},
        body={
            "reference": Free(
                "a reference the actor may not know reads as unknown (privacy.selectors."
                "hold_target)"
            )
        },
    ),
    "api:retention-hold-lift": Scoped(
        kinds={"pk": "legal_hold"},
        also=AUDIT,
        why_also="the privacy officer places and lifts holds on every team's reports",
    ),
    "api:retention-destruction-list": role(AUDIT),
    "api:retention-destruction-list-approve": role(AUDIT),
    "api:retention-destruction-list-remove": role(AUDIT, {"pk": "destruction_proposal"}),
    "api:retention-runs": role(AUDIT),
    "api:retention-run": role(AUDIT, {"pk": "retention_run"}),
    "api:retention-run-pdf": role(AUDIT, {"pk": "retention_run"}),
    "api:retention-coming": role(AUDIT),
    "api:retention-unweighed": role(AUDIT),
    # The access review (oversight, issue 16): the privacy officer reviews every team's reads.
    "oversight:flags": role(AUDIT, shows_all=READS_OF_EVERY_TEAM),
    "oversight:flag": role(AUDIT, {"pk": "access_flag"}, shows_all=READS_OF_EVERY_TEAM),
    "oversight:flag_review": role(AUDIT, {"pk": "access_flag"}, shows_all=READS_OF_EVERY_TEAM),
    "oversight:report": role(AUDIT, shows_all=READS_OF_EVERY_TEAM),
    "oversight:report_pdf": role(AUDIT, shows_all=READS_OF_EVERY_TEAM),
    "api:access-flags": role(AUDIT, shows_all=READS_OF_EVERY_TEAM),
    "api:access-flag": role(AUDIT, {"pk": "access_flag"}, shows_all=READS_OF_EVERY_TEAM),
    "api:access-flag-review": role(AUDIT, {"pk": "access_flag"}, shows_all=READS_OF_EVERY_TEAM),
    "api:access-report": role(AUDIT, {"week": "week"}, shows_all=READS_OF_EVERY_TEAM),
    "api:access-report-pdf": role(AUDIT, {"week": "week"}, shows_all=READS_OF_EVERY_TEAM),
    # The registers over the API: as their pages.
    "api:registers-sharing": role(AUDIT, shows_all=SHARING_ALL),
    "api:registers-sharing-csv": role(AUDIT, shows_all=SHARING_ALL),
    "api:registers-processing": role(AUDIT | CONFIGURE, shows_all=PROCESSING_ALL),
    "api:registers-processing-pdf": role(AUDIT | CONFIGURE, shows_all=PROCESSING_ALL),
    # Awareness trainings (issue 17): the municipality's, of no team; the team's analysts and
    # team leads keep them all (awareness.trainings).
    "awareness:home": role(INSIGHTS),
    "awareness:training_create": role(INSIGHTS, body=TRAINING),
    "awareness:training": role(INSIGHTS, {"pk": "training"}, body=TRAINING),
    "awareness:training_delete": role(INSIGHTS, {"pk": "training"}),
    "api:trainings": role(INSIGHTS, body=TRAINING),
    "api:training": role(INSIGHTS, {"pk": "training"}, body=TRAINING),
    # Requests of data subjects (the rights app): the privacy officer's register, of no team;
    # the request names its requester, and the search finds them in every team's data.
    "rights:list": role(AUDIT, shows_all=RIGHTS_ALL),
    "rights:new": role(AUDIT),
    "rights:detail": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "rights:note": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "rights:extend": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "rights:search": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "rights:judge": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL, body=RIGHTS_JUDGE),
    "rights:decide": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "api:rights-requests": role(
        AUDIT,
        shows_all=RIGHTS_ALL,
        body={"request_key": NotAnId("a key of the client's choosing, once per request")},
    ),
    "api:rights-request": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "api:rights-request-note": role(AUDIT, {"pk": "data_request"}),
    "api:rights-request-extend": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "api:rights-request-search": role(
        AUDIT,
        {"pk": "data_request"},
        shows_all=RIGHTS_ALL,
        body={"house_number": NotAnId("the house number of the address searched for")},
    ),
    "api:rights-request-hit-confirm": role(
        AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL, body=RIGHTS_JUDGE
    ),
    "api:rights-request-hit-reject": role(
        AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL, body=RIGHTS_JUDGE
    ),
    "api:rights-request-decide": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    # The access overview (part B): the requester's data in every team's, by design.
    "rights:inzage": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "rights:inzage_pdf": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "rights:inzage_decide": role(
        AUDIT, {"pk": "data_request", "hit_pk": "data_hit"}, shows_all=RIGHTS_ALL
    ),
    "rights:inzage_document": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "rights:inzage_download": role(
        AUDIT, {"pk": "data_request", "document_pk": "data_document"}, shows_all=RIGHTS_ALL
    ),
    "rights:inzage_sent": role(
        AUDIT, {"pk": "data_request", "document_pk": "data_document"}, shows_all=RIGHTS_ALL
    ),
    "api:rights-request-overview": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "api:rights-request-overview-pdf": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "api:rights-request-hit-disclosure": role(
        AUDIT, {"pk": "data_request", "hit_id": "data_hit"}, shows_all=RIGHTS_ALL
    ),
    "api:rights-request-documents": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "api:rights-request-document": role(
        AUDIT, {"pk": "data_request", "document_id": "data_document"}, shows_all=RIGHTS_ALL
    ),
    "api:rights-request-document-sent": role(
        AUDIT, {"pk": "data_request", "document_id": "data_document"}, shows_all=RIGHTS_ALL
    ),
    # Carrying out a request (part C): the privacy officer corrects, removes and restricts the
    # items she confirmed, whatever their team, by design.
    "rights:correct": role(
        AUDIT,
        RIGHTS_ITEM,
        shows_all=RIGHTS_ALL,
        body={
            "revision": NotAnId("the revision a correction is based on"),
            "house_number": NotAnId("a house number"),
            "remove_subjects": POSITIONS,
        },
    ),
    "rights:remove": role(
        AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL, body={"items": RIGHTS_ITEMS}
    ),
    "rights:restrict": role(AUDIT, RIGHTS_ITEM, shows_all=RIGHTS_ALL),
    "rights:lift": role(AUDIT, RIGHTS_ITEM, shows_all=RIGHTS_ALL),
    "rights:told": role(AUDIT, {**RIGHTS_ITEM, "handover_pk": "handover"}, shows_all=RIGHTS_ALL),
    "api:rights-request-changes": role(AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL),
    "api:rights-hit-correction": role(
        AUDIT,
        RIGHTS_ITEM,
        shows_all=RIGHTS_ALL,
        body={"revision": NotAnId("the revision a correction is based on")},
    ),
    "api:rights-request-removal": role(
        AUDIT, {"pk": "data_request"}, shows_all=RIGHTS_ALL, body={"hits": RIGHTS_ITEMS}
    ),
    "api:rights-hit-restriction": role(AUDIT, RIGHTS_ITEM, shows_all=RIGHTS_ALL),
    "api:rights-hit-restriction-lift": role(AUDIT, RIGHTS_ITEM, shows_all=RIGHTS_ALL),
    "api:rights-recipient-told": role(
        AUDIT, {**RIGHTS_ITEM, "handover_pk": "handover"}, shows_all=RIGHTS_ALL
    ),
    # The API's own 404 for any path under /api/v1/ that is none of the above.
    "api/v1/^.*$": Public("the API's problem+json 404 for an unknown path"),
    # A sealed report ('no action') is opened by its team lead with a reason (reports/sealing.py).
    "reports:unseal": REPORT,
    "api:report-unseal": REPORT,
}
