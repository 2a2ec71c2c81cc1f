"""What the codes in the audit log mean, in words a privacy officer reads.

The log itself keeps codes (`report.read`, `privacy_officer`, `reports.report`): they are
stable, machine-readable and part of the hash chain. This module is the one place that turns
them into labels. Every action the code writes must be here — `tests/audit/test_labels.py`
reads the source for every `audit_record(action=...)` and fails on an action without a label.
"""

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baken.core.roles import Role

from .services import PUBLIC_ROLE, SYSTEM_ROLE

ACTIONS: dict[str, Promise] = {
    # Signing in and accounts
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.logout_everywhere": _("Signed out on every device"),
    "auth.recovery_codes_generated": _("Made new recovery codes"),
    "auth.second_factor_enrolled": _("Set up a second factor"),
    "auth.sso_refused": _("Sign-in through the identity provider refused"),
    "user.create": _("Created a user"),
    "user.update": _("Changed a user"),
    "user.list": _("Viewed the list of users"),
    "user.read": _("Viewed a user"),
    "user.second_factor_reset": _("Reset a user's second factor"),
    "team.create": _("Created a team"),
    "token.create": _("Created an API token"),
    "token.revoke": _("Revoked an API token"),
    # Reports
    "report.create": _("Report made"),
    "report.read": _("Viewed a report"),
    "report.list": _("Viewed a list of reports"),
    "report.improve": _("Corrected a report"),
    "report.note": _("Added a note to a report"),
    "report.attachment_add": _("Added an attachment to a report"),
    "report.transition": _("Changed the status of a report"),
    "report.route": _("Routed a report"),
    "report.assign": _("Assigned a report"),
    "report.criterion": _("Answered a weighing criterion"),
    "report.decision": _("Decided on a report"),
    "report.question": _("Asked the reporter a question"),
    "report.reporter_message": _("The reporter sent a message"),
    "report.reporter_attachment": _("The reporter added an attachment"),
    "report.contact_reveal": _("Opened the reporter's contact details"),
    "report.link": _("Linked related reports"),
    "report.merge": _("Merged reports"),
    "report.unmerge": _("Undid a merge of reports"),
    "report.split": _("Split a report"),
    "report.unsplit": _("Undid a split of a report"),
    "reporter.notify": _("Notified the reporter"),
    "attachment.upload": _("Attachment uploaded"),
    "attachment.view": _("Viewed an attachment"),
    "filter.save": _("Saved a filter"),
    "filter.delete": _("Removed a saved filter"),
    "category.create": _("Created a category"),
    "category.update": _("Changed a category"),
    "criterion.create": _("Created a weighing criterion"),
    "criterion.update": _("Changed a weighing criterion"),
    "routing_rule.create": _("Created a routing rule"),
    "routing_rule.update": _("Changed a routing rule"),
    "routing_rule.activate": _("Switched on a routing rule"),
    "routing_rule.deactivate": _("Switched off a routing rule"),
    "routing_rule.delete": _("Removed a routing rule"),
    "routing_rule.move": _("Moved a routing rule"),
    "suggestions.train": _("Trained the category suggestions"),
    "suggestions.remove": _("Removed training examples of the suggestions"),
    # Subjects and search
    "search": _("Searched"),
    "subject.create": _("Registered a subject"),
    "subject.read": _("Viewed a subject"),
    "subject.list": _("Viewed a list of subjects"),
    "subject.judge": _("Judged a possible match with a subject"),
    "subject.merge": _("Merged subjects"),
    "subject.unmerge": _("Undid a merge of subjects"),
    "subject.network": _("Viewed a network of subjects"),
    "subject.export_ftm": _("Exported subjects (FollowTheMoney)"),
    "relation.add": _("Added a relation"),
    "relation.remove": _("Removed a relation"),
    "addresses.load": _("Loaded the address register"),
    "area.import": _("Imported areas"),
    # Cases
    "case.read": _("Viewed a case"),
    "case.review": _("Reviewed a case on request"),
    "case.open": _("Opened a case"),
    "case.advance": _("Moved a case to the next stage"),
    "case.close": _("Closed a case"),
    "case.reopen": _("Reopened a case"),
    "case.add_report": _("Added a report to a case"),
    "case.handler": _("Appointed a case handler"),
    "case.answer": _("Answered a stage criterion of a case"),
    "case.member_add": _("Added a member to a case"),
    "case.member_remove": _("Removed a member from a case"),
    "case.note": _("Added a note to a case"),
    "case.task_add": _("Added a task to a case"),
    "case.task_done": _("Finished a task of a case"),
    "case.task_list": _("Viewed a list of tasks"),
    "case.task_reminder": _("Sent a reminder of tasks due"),
    "case.consultation_request": _("Asked to consult a source"),
    "case.consultation_decide": _("Decided on consulting a source"),
    "case.consultation_hit": _("Recorded the outcome of consulting a source"),
    "case.consultation_findings": _("Recorded the findings of consulting a source"),
    "case.consultation_queue": _("Viewed the source research awaiting approval"),
    "case.intervention_add": _("Recorded an intervention"),
    "case.intervention_update": _("Changed an intervention"),
    "case.handover": _("Handed over a case"),
    "case.handover_informed": _("Informed a recipient of a correction"),
    "case.accountability_report": _("Made a case's accountability report"),
    "case_type.version": _("Made a new version of a case type"),
    "case_type.change": _("Changed a case type"),
    "case_type.publish": _("Published a case type"),
    "interventies.add": _("Added an intervention type"),
    "interventies.toggle": _("Switched an intervention type on or off"),
    "interventies.change": _("Changed an intervention type's legal basis"),
    "bronnen.add": _("Added a source"),
    "bronnen.toggle": _("Switched a source on or off"),
    # Figures, overviews and exports
    "insights.dashboard": _("Viewed the dashboard"),
    "insights.management": _("Viewed the management figures"),
    "insights.hotspots": _("Viewed the hotspots"),
    "insights.hotspot_reports": _("Viewed the reports of a hotspot"),
    "insights.overview_build": _("Made the weekly overview"),
    "insights.overview_read": _("Read the weekly overview"),
    "insights.overview_mail": _("Mailed the weekly overview"),
    "insights.overview_subscribe": _("Subscribed to the weekly overview"),
    "insights.overview_unsubscribe": _("Unsubscribed from the weekly overview"),
    "export.request": _("Requested an export"),
    "export.rows": _("Rows written to an export"),
    "export.finish": _("Export finished"),
    "export.fail": _("Export failed"),
    "export.download": _("Downloaded an export"),
    "export.download_refused": _("Download of an export refused"),
    "export.expire": _("Exports expired and removed"),
    # The log itself, and the system
    "audit.search": _("Searched the audit log"),
    "audit.export": _("Downloaded the audit log as CSV"),
    "demo.reports_created": _("Made demo reports"),
}

ROLES: dict[str, Promise] = {
    **{role.value: role.label for role in Role},
    PUBLIC_ROLE: _("Public (reporter)"),
    SYSTEM_ROLE: _("Baken itself"),
}

# Object types that are no model: a list ("*") or a search.
OBJECT_TYPES: dict[str, Promise] = {
    "insights.figures": _("figures"),
    "subjects.search": _("search"),
}

# The parts of a page one read entry lists (see audit/page_views.py).
PARTS: dict[str, Promise] = {
    "data": _("details"),
    "versions": _("versions"),
    "attachments": _("attachments"),
    "notes": _("notes"),
    "messages": _("messages with the reporter"),
    "history": _("status history"),
    "weighing": _("weighing"),
    "decisions": _("decisions"),
    "suggestion": _("category suggestion"),
    "subjects": _("subjects"),
    "related": _("related reports"),
    "relations": _("relations"),
    "reports": _("reports naming the subject"),
    "merged": _("merged subjects"),
    "timeline": _("timeline"),
    "places": _("places"),
}


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def role_label(code: str) -> str:
    label = ROLES.get(code)
    return str(label) if label is not None else (code or "—")


def object_type_label(code: str) -> str:
    if code in OBJECT_TYPES:
        name = str(OBJECT_TYPES[code])
    else:
        try:
            model = apps.get_model(code)
        except (LookupError, ValueError):
            return code
        name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def part_label(code: str) -> str:
    label = PARTS.get(code)
    return str(label) if label is not None else code
