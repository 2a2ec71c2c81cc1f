from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from baken.insights import overview_api

from . import access_review as access_review_api
from . import cases as cases_api
from . import (
    contact,
    intake,
    related,
    reports,
    routing,
    sealing,
    suggestions,
    triage,
    views,
    weighing,
)
from . import departments as departments_api
from . import exports as exports_api
from . import practice as practice_api
from . import registers as registers_api
from . import relations as relations_api
from . import retention as retention_api
from . import rights as rights_api
from . import subjects as subjects_api
from . import trainings as trainings_api
from .awareness_figures import AwarenessFiguresView
from .figures import FiguresView
from .map import AreaCountsView, MapPointsView
from .notifications import NotificationListView, NotificationReadView
from .search import SearchView

app_name = "api"
urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("me", views.MeView.as_view(), name="me"),
    path("audit-entries", views.AuditEntryListView.as_view(), name="audit-entries"),
    path("categories", intake.CategoryListView.as_view(), name="categories"),
    path("attachments", intake.AttachmentCreateView.as_view(), name="attachments"),
    path("addresses", intake.AddressLookupView.as_view(), name="addresses"),
    path("reports", reports.ReportCollectionView.as_view(), name="reports"),
    path("reports/<int:pk>", triage.ReportDetailView.as_view(), name="report"),
    path("reports/<int:pk>/versions", triage.VersionListView.as_view(), name="report-versions"),
    path("reports/<int:pk>/notes", triage.NoteListView.as_view(), name="report-notes"),
    path("reports/<int:pk>/criteria", triage.CriterionListView.as_view(), name="report-criteria"),
    path("reports/<int:pk>/weighing", weighing.WeighingView.as_view(), name="report-weighing"),
    path("reports/<int:pk>/decision", triage.DecisionView.as_view(), name="report-decision"),
    path(
        "reports/<int:pk>/transitions",
        triage.TransitionListView.as_view(),
        name="report-transitions",
    ),
    path("reports/<int:pk>/messages", triage.MessageListView.as_view(), name="report-messages"),
    path("reports/<int:pk>/contact", contact.ContactView.as_view(), name="report-contact"),
    path("reports/<int:pk>/unseal", sealing.UnsealView.as_view(), name="report-unseal"),
    path("followup", intake.FollowupView.as_view(), name="followup"),
    path("followup/messages", intake.FollowupMessageView.as_view(), name="followup-messages"),
    path(
        "reports/<int:pk>/category-suggestion",
        suggestions.CategorySuggestionView.as_view(),
        name="report-category-suggestion",
    ),
    path("routing-rules", routing.RoutingRuleCollectionView.as_view(), name="routing-rules"),
    path("routing-rules/test", routing.RoutingRuleTestView.as_view(), name="routing-rules-test"),
    path(
        "routing-rules/preview",
        routing.RoutingRulePreviewView.as_view(),
        name="routing-rules-preview",
    ),
    path("routing-rules/<int:pk>", routing.RoutingRuleDetailView.as_view(), name="routing-rule"),
    path(
        "reports/<int:pk>/assignment",
        routing.ReportAssignmentView.as_view(),
        name="report-assignment",
    ),
    path("reports/<int:pk>/related", related.RelatedListView.as_view(), name="report-related"),
    path("reports/<int:pk>/links", related.LinkView.as_view(), name="report-links"),
    path("reports/<int:pk>/merge", related.MergeView.as_view(), name="report-merge"),
    path("reports/<int:pk>/unmerge", related.UnmergeView.as_view(), name="report-unmerge"),
    path("reports/<int:pk>/split", related.SplitView.as_view(), name="report-split"),
    path("reports/<int:pk>/unsplit", related.UnsplitView.as_view(), name="report-unsplit"),
    path("subjects/<int:pk>", subjects_api.SubjectDetailView.as_view(), name="subject"),
    path("subjects/<int:pk>/merge", subjects_api.MergeView.as_view(), name="subject-merge"),
    path("subjects/<int:pk>/unmerge", subjects_api.UnmergeView.as_view(), name="subject-unmerge"),
    path(
        "report-subjects/<int:pk>/candidates",
        subjects_api.CandidateListView.as_view(),
        name="report-subject-candidates",
    ),
    path(
        "report-subjects/<int:pk>/judgements",
        subjects_api.JudgementView.as_view(),
        name="report-subject-judgements",
    ),
    path(
        "report-subjects/<int:pk>/subject",
        subjects_api.SubjectCreateView.as_view(),
        name="report-subject-subject",
    ),
    path(
        "subjects/<int:pk>/relations",
        relations_api.RelationCollectionView.as_view(),
        name="subject-relations",
    ),
    path("relations/<int:pk>", relations_api.RelationDetailView.as_view(), name="relation"),
    path("subjects/<int:pk>/network", relations_api.NetworkView.as_view(), name="subject-network"),
    path("subjects/<int:pk>/ftm", relations_api.FtmView.as_view(), name="subject-ftm"),
    path("search", SearchView.as_view(), name="search"),
    path("cases", cases_api.CaseCollectionView.as_view(), name="cases"),
    path(
        "weekly-overviews",
        overview_api.WeeklyOverviewCollectionView.as_view(),
        name="weekly-overviews",
    ),
    path(
        "weekly-overviews/<str:week>",
        overview_api.WeeklyOverviewDetailView.as_view(),
        name="weekly-overview",
    ),
    path("cases/<int:pk>", cases_api.CaseDetailView.as_view(), name="case"),
    path("cases/<int:pk>/answers", cases_api.CaseAnswerView.as_view(), name="case-answers"),
    path("cases/<int:pk>/steps", cases_api.CaseStepView.as_view(), name="case-steps"),
    path("cases/<int:pk>/members", cases_api.CaseMemberView.as_view(), name="case-members"),
    path("cases/<int:pk>/handler", cases_api.CaseHandlerView.as_view(), name="case-handler"),
    path(
        "cases/<int:pk>/consultations",
        cases_api.CaseConsultationsView.as_view(),
        name="case-consultations",
    ),
    path(
        "cases/<int:pk>/consultations/<int:consultation_pk>",
        cases_api.CaseConsultationView.as_view(),
        name="case-consultation",
    ),
    path(
        "consultations/<int:consultation_pk>/decision",
        cases_api.ConsultationDecisionView.as_view(),
        name="consultation-decision",
    ),
    path(
        "cases/<int:pk>/interventions",
        cases_api.CaseInterventionsView.as_view(),
        name="case-interventions",
    ),
    path(
        "cases/<int:pk>/interventions/<int:intervention_pk>",
        cases_api.CaseInterventionView.as_view(),
        name="case-intervention",
    ),
    path("cases/<int:pk>/handovers", cases_api.CaseHandoversView.as_view(), name="case-handovers"),
    path(
        "cases/<int:pk>/handovers/<int:handover_pk>/notices",
        cases_api.HandoverNoticeView.as_view(),
        name="case-handover-notices",
    ),
    path("cases/<int:pk>/reports", cases_api.CaseReportsView.as_view(), name="case-reports"),
    path("cases/<int:pk>/notes", cases_api.CaseNotesView.as_view(), name="case-notes"),
    path("cases/<int:pk>/tasks", cases_api.CaseTasksView.as_view(), name="case-tasks"),
    path(
        "cases/<int:pk>/tasks/<int:task_pk>/done",
        cases_api.CaseTaskDoneView.as_view(),
        name="case-task-done",
    ),
    path("tasks", cases_api.MyTasksView.as_view(), name="my-tasks"),
    path(
        "cases/<int:pk>/accountability",
        cases_api.CaseAccountabilityView.as_view(),
        name="case-accountability",
    ),
    path(
        "cases/<int:pk>/members/<int:user_pk>/removal",
        cases_api.CaseMemberRemoveView.as_view(),
        name="case-member-removal",
    ),
    path("exports", exports_api.ExportCollectionView.as_view(), name="exports"),
    path("exports/<uuid:pk>", exports_api.ExportDetailView.as_view(), name="export"),
    path("exports/<uuid:pk>/file", exports_api.ExportFileView.as_view(), name="export-file"),
    path("map/points", MapPointsView.as_view(), name="map-points"),
    path("map/areas", AreaCountsView.as_view(), name="map-areas"),
    path("figures", FiguresView.as_view(), name="figures"),
    path("awareness/figures", AwarenessFiguresView.as_view(), name="awareness-figures"),
    path("notifications", NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<int:pk>/read",
        NotificationReadView.as_view(),
        name="notification-read",
    ),
    path("retention/rules", retention_api.RuleCollectionView.as_view(), name="retention-rules"),
    path(
        "retention/rules/<int:pk>/approve",
        retention_api.RuleApproveView.as_view(),
        name="retention-rule-approve",
    ),
    path(
        "retention/rules/<int:pk>/reject",
        retention_api.RuleRejectView.as_view(),
        name="retention-rule-reject",
    ),
    path("retention/holds", retention_api.HoldCollectionView.as_view(), name="retention-holds"),
    path(
        "retention/holds/<int:pk>/lift",
        retention_api.HoldLiftView.as_view(),
        name="retention-hold-lift",
    ),
    path(
        "retention/destruction-list",
        retention_api.DestructionListView.as_view(),
        name="retention-destruction-list",
    ),
    path(
        "retention/destruction-list/approve",
        retention_api.DestructionListApproveView.as_view(),
        name="retention-destruction-list-approve",
    ),
    path(
        "retention/destruction-list/<int:pk>/remove",
        retention_api.DestructionListRemoveView.as_view(),
        name="retention-destruction-list-remove",
    ),
    path("retention/runs", retention_api.RunListView.as_view(), name="retention-runs"),
    path("retention/runs/<int:pk>", retention_api.RunStatementView.as_view(), name="retention-run"),
    path(
        "retention/runs/<int:pk>/statement.pdf",
        retention_api.RunStatementPdfView.as_view(),
        name="retention-run-pdf",
    ),
    path("retention/coming", retention_api.ComingView.as_view(), name="retention-coming"),
    path("retention/unweighed", retention_api.UnweighedView.as_view(), name="retention-unweighed"),
    # The rights of data subjects, the access review and the registers (issue 16): each
    # module lists its own routes, named in this namespace.
    path("", include(rights_api.urlpatterns)),
    path("", include(access_review_api.urlpatterns)),
    path("", include(registers_api.urlpatterns)),
    # Awareness trainings (issue 17).
    path("", include(trainings_api.urlpatterns)),
    # The departments a reporter may name (issue 17).
    path("", include(departments_api.urlpatterns)),
    # Practice scenarios for employees, and their counts (issue 17).
    path("", include(practice_api.urlpatterns)),
    re_path(r"^.*$", views.not_found),
]
