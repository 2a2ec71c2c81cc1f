"""Every action the audit log records, in one registry: the code the log keeps and its label.

The codes (`report.read`) are stable and part of the hash chain: a stored entry never changes,
so a member's value never changes either. The label is what the audit log page, its CSV and
the API show beside the code (see labels.action_label). `audit_record` accepts only members
of `AuditAction` (call sites name them, `AuditAction.REPORT_READ`, never the bare code); a
new action is a new member here, with an English label translated in the Dutch catalogue
(tests/audit/test_labels.py checks both).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Signing in and accounts
    AUTH_LOGIN = "auth.login", _("Signed in")
    AUTH_LOGOUT = "auth.logout", _("Signed out")
    AUTH_LOGOUT_EVERYWHERE = "auth.logout_everywhere", _("Signed out on every device")
    AUTH_RECOVERY_CODES_GENERATED = "auth.recovery_codes_generated", _("Made new recovery codes")
    AUTH_SECOND_FACTOR_ENROLLED = "auth.second_factor_enrolled", _("Set up a second factor")
    AUTH_SSO_REFUSED = "auth.sso_refused", _("Sign-in through the identity provider refused")
    USER_CREATE = "user.create", _("Created a user")
    USER_UPDATE = "user.update", _("Changed a user")
    USER_LIST = "user.list", _("Viewed the list of users")
    USER_READ = "user.read", _("Viewed a user")
    USER_SECOND_FACTOR_RESET = "user.second_factor_reset", _("Reset a user's second factor")
    USER_UNLOCK = "user.unlock", _("Lifted a user's lockout after failed logins")
    TEAM_CREATE = "team.create", _("Created a team")
    TOKEN_CREATE = "token.create", _("Created an API token")
    TOKEN_REVOKE = "token.revoke", _("Revoked an API token")
    # Reports
    REPORT_CREATE = "report.create", _("Report made")
    REPORT_READ = "report.read", _("Viewed a report")
    REPORT_LIST = "report.list", _("Viewed a list of reports")
    REPORT_IMPROVE = "report.improve", _("Corrected a report")
    REPORT_NOTE = "report.note", _("Added a note to a report")
    REPORT_ATTACHMENT_ADD = "report.attachment_add", _("Added an attachment to a report")
    REPORT_TRANSITION = "report.transition", _("Changed the status of a report")
    REPORT_ROUTE = "report.route", _("Routed a report")
    REPORT_ASSIGN = "report.assign", _("Assigned a report")
    REPORT_CRITERION = "report.criterion", _("Answered a weighing criterion")
    REPORT_DECISION = "report.decision", _("Decided on a report")
    REPORT_QUESTION = "report.question", _("Asked the reporter a question")
    REPORT_REPORTER_MESSAGE = "report.reporter_message", _("The reporter sent a message")
    REPORT_REPORTER_ATTACHMENT = "report.reporter_attachment", _("The reporter added an attachment")
    REPORT_CONTACT_REVEAL = "report.contact_reveal", _("Opened the reporter's contact details")
    REPORT_UNSEAL_READ = "report.unseal_read", _("Opened a sealed report (decided 'no action')")
    REPORT_LINK = "report.link", _("Linked related reports")
    REPORT_MERGE = "report.merge", _("Merged reports")
    REPORT_UNMERGE = "report.unmerge", _("Undid a merge of reports")
    REPORT_SPLIT = "report.split", _("Split a report")
    REPORT_UNSPLIT = "report.unsplit", _("Undid a split of a report")
    REPORTER_NOTIFY = "reporter.notify", _("Notified the reporter")
    REPORTER_NOTIFY_FAILED = "reporter.notify_failed", _("Could not notify the reporter")
    ATTACHMENT_UPLOAD = "attachment.upload", _("Attachment uploaded")
    ATTACHMENT_VIEW = "attachment.view", _("Viewed an attachment")
    FILTER_SAVE = "filter.save", _("Saved a filter")
    FILTER_DELETE = "filter.delete", _("Removed a saved filter")
    CATEGORY_CREATE = "category.create", _("Created a category")
    CATEGORY_UPDATE = "category.update", _("Changed a category")
    DEPARTMENT_CREATE = "department.create", _("Added a department")
    DEPARTMENT_UPDATE = "department.update", _("Changed a department")
    DEPARTMENT_DELETE = "department.delete", _("Removed a department")
    CRITERION_CREATE = "criterion.create", _("Created a weighing criterion")
    CRITERION_UPDATE = "criterion.update", _("Changed a weighing criterion")
    PRACTICE_SCENARIO_CREATE = "practice_scenario.create", _("Added a practice scenario")
    PRACTICE_SCENARIO_UPDATE = "practice_scenario.update", _("Changed a practice scenario")
    ROUTING_RULE_CREATE = "routing_rule.create", _("Created a routing rule")
    ROUTING_RULE_UPDATE = "routing_rule.update", _("Changed a routing rule")
    ROUTING_RULE_ACTIVATE = "routing_rule.activate", _("Switched on a routing rule")
    ROUTING_RULE_DEACTIVATE = "routing_rule.deactivate", _("Switched off a routing rule")
    ROUTING_RULE_DELETE = "routing_rule.delete", _("Removed a routing rule")
    ROUTING_RULE_MOVE = "routing_rule.move", _("Moved a routing rule")
    SUGGESTIONS_TRAIN = "suggestions.train", _("Trained the category suggestions")
    SUGGESTIONS_REMOVE = "suggestions.remove", _("Removed training examples of the suggestions")
    # Subjects and search
    SEARCH = "search", _("Searched")
    SUBJECT_CREATE = "subject.create", _("Registered a subject")
    SUBJECT_READ = "subject.read", _("Viewed a subject")
    SUBJECT_LIST = "subject.list", _("Viewed a list of subjects")
    SUBJECT_JUDGE = "subject.judge", _("Judged a possible match with a subject")
    SUBJECT_MERGE = "subject.merge", _("Merged subjects")
    SUBJECT_UNMERGE = "subject.unmerge", _("Undid a merge of subjects")
    SUBJECT_NETWORK = "subject.network", _("Viewed a network of subjects")
    SUBJECT_EXPORT_FTM = "subject.export_ftm", _("Exported subjects (FollowTheMoney)")
    RELATION_ADD = "relation.add", _("Added a relation")
    RELATION_REMOVE = "relation.remove", _("Removed a relation")
    ADDRESSES_LOAD = "addresses.load", _("Loaded the address register")
    AREA_IMPORT = "area.import", _("Imported areas")
    # Cases
    CASE_READ = "case.read", _("Viewed a case")
    CASE_REVIEW = "case.review", _("Reviewed a case on request")
    CASE_OPEN = "case.open", _("Opened a case")
    CASE_ADVANCE = "case.advance", _("Moved a case to the next stage")
    CASE_CLOSE = "case.close", _("Closed a case")
    CASE_REOPEN = "case.reopen", _("Reopened a case")
    CASE_ADD_REPORT = "case.add_report", _("Added a report to a case")
    CASE_HANDLER = "case.handler", _("Appointed a case handler")
    CASE_ANSWER = "case.answer", _("Answered a stage criterion of a case")
    CASE_MEMBER_ADD = "case.member_add", _("Added a member to a case")
    CASE_MEMBER_REMOVE = "case.member_remove", _("Removed a member from a case")
    CASE_NOTE = "case.note", _("Added a note to a case")
    CASE_TASK_ADD = "case.task_add", _("Added a task to a case")
    CASE_TASK_DONE = "case.task_done", _("Finished a task of a case")
    CASE_TASK_LIST = "case.task_list", _("Viewed a list of tasks")
    CASE_TASK_REMINDER = "case.task_reminder", _("Sent a reminder of tasks due")
    CASE_CONSULTATION_REQUEST = "case.consultation_request", _("Asked to consult a source")
    CASE_CONSULTATION_DECIDE = "case.consultation_decide", _("Decided on consulting a source")
    CASE_CONSULTATION_HIT = (
        "case.consultation_hit",
        _("Recorded the outcome of consulting a source"),
    )
    CASE_CONSULTATION_FINDINGS = (
        "case.consultation_findings",
        _("Recorded the findings of consulting a source"),
    )
    CASE_CONSULTATION_QUEUE = (
        "case.consultation_queue",
        _("Viewed the source research awaiting approval"),
    )
    CASE_INTERVENTION_ADD = "case.intervention_add", _("Recorded an intervention")
    CASE_INTERVENTION_UPDATE = "case.intervention_update", _("Changed an intervention")
    CASE_HANDOVER = "case.handover", _("Handed over a case")
    CASE_HANDOVER_INFORMED = "case.handover_informed", _("Informed a recipient of a correction")
    CASE_ACCOUNTABILITY_REPORT = (
        "case.accountability_report",
        _("Made a case's accountability report"),
    )
    CASE_TYPE_VERSION = "case_type.version", _("Made a new version of a case type")
    CASE_TYPE_CHANGE = "case_type.change", _("Changed a case type")
    CASE_TYPE_PUBLISH = "case_type.publish", _("Published a case type")
    INTERVENTIES_ADD = "interventies.add", _("Added an intervention type")
    INTERVENTIES_TOGGLE = "interventies.toggle", _("Switched an intervention type on or off")
    INTERVENTIES_CHANGE = "interventies.change", _("Changed an intervention type's legal basis")
    BRONNEN_ADD = "bronnen.add", _("Added a source")
    BRONNEN_TOGGLE = "bronnen.toggle", _("Switched a source on or off")
    # Figures, overviews and exports
    INSIGHTS_DASHBOARD = "insights.dashboard", _("Viewed the dashboard")
    INSIGHTS_MANAGEMENT = "insights.management", _("Viewed the management figures")
    INSIGHTS_HOTSPOTS = "insights.hotspots", _("Viewed the hotspots")
    INSIGHTS_HOTSPOT_REPORTS = "insights.hotspot_reports", _("Viewed the reports of a hotspot")
    INSIGHTS_OVERVIEW_BUILD = "insights.overview_build", _("Made the weekly overview")
    INSIGHTS_OVERVIEW_READ = "insights.overview_read", _("Read the weekly overview")
    INSIGHTS_OVERVIEW_MAIL = "insights.overview_mail", _("Mailed the weekly overview")
    INSIGHTS_OVERVIEW_SUBSCRIBE = (
        "insights.overview_subscribe",
        _("Subscribed to the weekly overview"),
    )
    INSIGHTS_OVERVIEW_UNSUBSCRIBE = (
        "insights.overview_unsubscribe",
        _("Unsubscribed from the weekly overview"),
    )
    EXPORT_REQUEST = "export.request", _("Requested an export")
    EXPORT_ROWS = "export.rows", _("Rows written to an export")
    EXPORT_FINISH = "export.finish", _("Export finished")
    EXPORT_FAIL = "export.fail", _("Export failed")
    EXPORT_DOWNLOAD = "export.download", _("Downloaded an export")
    EXPORT_DOWNLOAD_REFUSED = "export.download_refused", _("Download of an export refused")
    EXPORT_EXPIRE = "export.expire", _("Exports expired and removed")
    # Retention
    RETENTION_RULE_PROPOSE = "retention.rule_propose", _("Proposed a change of a retention rule")
    RETENTION_RULE_APPROVE = "retention.rule_approve", _("Approved a retention rule")
    RETENTION_RULE_REJECT = "retention.rule_reject", _("Rejected a change of a retention rule")
    RETENTION_HOLD_PLACE = "retention.hold_place", _("Placed a legal hold")
    RETENTION_HOLD_LIFT = "retention.hold_lift", _("Lifted a legal hold")
    RETENTION_RUN_START = "retention.run_start", _("Started a retention run")
    RETENTION_RUN_FINISH = "retention.run_finish", _("Finished a retention run")
    RETENTION_DESTROY = "retention.destroy", _("Destroyed after its retention period")
    RETENTION_STATEMENT_READ = "retention.statement_read", _("Read a statement of destruction")
    RETENTION_LIST_APPROVE = "retention.list_approve", _("Approved the destruction list")
    RETENTION_LIST_REMOVE = "retention.list_remove", _("Took a case off the destruction list")
    # Requests of data subjects: the register and finding a person (issue 16, part A)
    RIGHTS_REQUEST_REGISTER = "rights.request_register", _("Registered a request of a data subject")
    RIGHTS_REQUEST_LIST = "rights.request_list", _("Read the list of requests of data subjects")
    RIGHTS_REQUEST_READ = "rights.request_read", _("Read a request of a data subject")
    RIGHTS_REQUEST_NOTE = "rights.request_note", _("Added a note to a request of a data subject")
    RIGHTS_REQUEST_EXTEND = "rights.request_extend", _("Extended the deadline of a request")
    RIGHTS_SEARCH = "rights.search", _("Searched for a data subject everywhere")
    RIGHTS_HIT_CONFIRM = "rights.hit_confirm", _("Confirmed an item is about the requester")
    RIGHTS_HIT_REJECT = "rights.hit_reject", _("Marked an item as not about the requester")
    RIGHTS_REQUEST_DECIDE = "rights.request_decide", _("Decided a request of a data subject")
    # The access review (issue 16, oversight app)
    ACCESS_REVIEW_RUN = "access_review.run", _("Looked for unusual reads (access review)")
    ACCESS_FLAG_LIST = "access_review.flag_list", _("Viewed the flags of the access review")
    ACCESS_FLAG_READ = "access_review.flag_read", _("Viewed a flag of the access review")
    ACCESS_FLAG_REVIEW = "access_review.flag_review", _("Reviewed a flag of the access review")
    ACCESS_REPORT_READ = "access_review.report_read", _("Viewed the weekly access report")
    # The registers: sharing and processing (issue 16, privacy app, registers)
    SHARING_REGISTER_READ = "registers.sharing_read", _("Read the sharing register")
    SHARING_REGISTER_EXPORT = "registers.sharing_export", _("Downloaded the sharing register")
    PROCESSING_REGISTER_READ = "registers.processing_read", _("Read the processing register")
    # Requests of data subjects: correcting, removing, restricting (issue 16, part C)
    SUBJECT_CORRECT = "subject.correct", _("Corrected a subject on a request")
    SUBJECT_RESTRICT = "subject.restrict", _("Restricted a subject on a request")
    SUBJECT_RESTRICTION_LIFT = "subject.restriction_lift", _("Lifted the restriction of a subject")
    REPORT_RESTRICT = "report.restrict", _("Restricted a report on a request")
    REPORT_RESTRICTION_LIFT = "report.restriction_lift", _("Lifted the restriction of a report")
    RETENTION_DESTROY_ON_REQUEST = (
        "retention.destroy_on_request",
        _("Destroyed on a request of the person concerned"),
    )
    RIGHTS_CORRECT = "rights.correct", _("Corrected an item on a request of a data subject")
    RIGHTS_REMOVE = "rights.remove", _("Removed items on a request of a data subject")
    RIGHTS_RESTRICT = "rights.restrict", _("Restricted an item on a request of a data subject")
    RIGHTS_RESTRICTION_LIFT = (
        "rights.restriction_lift",
        _("Lifted a restriction on a request of a data subject"),
    )
    RIGHTS_RECIPIENT_TOLD = (
        "rights.recipient_told",
        _("Recorded that a recipient of a hand-over was told"),
    )
    # Requests of data subjects: the access overview (inzage) and its document (issue 16, part B)
    RIGHTS_OVERVIEW_READ = "rights.overview_read", _("Read the draft access overview of a request")
    RIGHTS_DISCLOSURE = "rights.disclosure", _("Decided to disclose or withhold an item")
    RIGHTS_DOCUMENT_MAKE = "rights.document_make", _("Made the access overview to send")
    RIGHTS_DOCUMENT_READ = "rights.document_read", _("Downloaded an access overview")
    RIGHTS_DOCUMENT_SENT = "rights.document_sent", _("Recorded the sending of an access overview")
    # Awareness trainings (issue 17, awareness app)
    TRAINING_CREATE = "training.create", _("Registered an awareness training")
    TRAINING_UPDATE = "training.update", _("Changed an awareness training")
    TRAINING_DELETE = "training.delete", _("Removed an awareness training")
    # The log itself, and the system
    AUDIT_SEARCH = "audit.search", _("Searched the audit log")
    AUDIT_EXPORT = "audit.export", _("Downloaded the audit log as CSV")
    AUDIT_SEAL = "audit.seal", _("Sealed a day of the audit log")
    DEMO_REPORTS_CREATED = "demo.reports_created", _("Made demo reports")
