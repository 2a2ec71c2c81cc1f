"""Routing over the API: the functional administrator's rules and rule tester, and handing a
report on to a team or person.

The same services as the HTML pages (reports.routing): 403 for anyone but the functional
administrator on the rules; 404 for a report the user may not see, 403 for a role that may
not assign; problem+json for every refusal.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.accounts.models import Team, User
from baken.core.roles import Capability
from baken.places.models import Area
from baken.reports import routing
from baken.reports.access import report_for
from baken.reports.models import Category, Channel, RoutingRule
from baken.reports.permissions import Action
from baken.reports.routing_preview import Placement, landing, rule_preview

from .strict import StrictSerializer


class RoutingRuleSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="Lower comes first. Left out: a new rule goes last, a changed one stays.",
    )
    name = serializers.CharField(max_length=200)
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        allow_null=True,
        default=None,
        help_text="Category code; null: any category.",
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices, allow_blank=True, default="", help_text="Empty: any channel."
    )
    postcode_prefix = serializers.CharField(
        max_length=7,
        allow_blank=True,
        default="",
        help_text="The start of a postcode ('1781', '17'). Empty: any.",
    )
    area = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.all(),
        allow_null=True,
        default=None,
        help_text="Code of an imported area (`baken areas import`): reports whose place lies "
        "in it. Null: any place.",
    )
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        default=None,
        help_text="A workspace user of the team; null: the team divides the work.",
    )
    is_active = serializers.BooleanField(default=True)
    placement = serializers.ChoiceField(
        choices=Placement.choices,
        default=Placement.ABOVE_CATCH_ALLS,
        write_only=True,
        help_text="Where a new rule goes when no position is given: above the catch-all rules "
        "(no category, no channel) that would otherwise take its reports (default), first, or "
        "last. Ignored when changing a rule.",
    )

    def validate(self, attrs):
        # Once every field has its type: the prefix as the service keeps it ('1781 a' →
        # '1781A'). A prefix that cannot start a postcode, and an assignee outside the team,
        # are the service's to refuse (routing.RoutingRefused, a Refused: 400 naming the
        # field, answered by the API's exception handler).
        attrs["postcode_prefix"] = routing.normalise_prefix(attrs.get("postcode_prefix", ""))
        return attrs


def _configurer(request) -> None:
    if not request.user.can(Capability.CONFIGURE):
        raise PermissionDenied


def _rule(pk: int) -> RoutingRule:
    rule = routing.rule_list().filter(pk=pk).first()
    if rule is None:
        raise NotFound
    return rule


class RoutingRuleCollectionView(APIView):
    @extend_schema(
        operation_id="routing_rules_list",
        responses={200: RoutingRuleSerializer(many=True)},
        description="All routing rules in the order they are tried (functional administrator).",
    )
    def get(self, request):
        _configurer(request)
        return Response(RoutingRuleSerializer(routing.rule_list(), many=True).data)

    @extend_schema(
        operation_id="routing_rules_create",
        request=RoutingRuleSerializer,
        responses={201: RoutingRuleSerializer},
        description="Add a rule; without a position it goes by `placement`: by default above "
        "the catch-all rules that would otherwise take its reports.",
    )
    def post(self, request):
        _configurer(request)
        body = RoutingRuleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rule = routing.routing_rule_create(actor=request.user, **body.validated_data)
        return Response(RoutingRuleSerializer(rule).data, status=status.HTTP_201_CREATED)


class RoutingRuleDetailView(APIView):
    @extend_schema(operation_id="routing_rules_retrieve", responses=RoutingRuleSerializer)
    def get(self, request, pk: int):
        _configurer(request)
        return Response(RoutingRuleSerializer(_rule(pk)).data)

    @extend_schema(
        operation_id="routing_rules_update",
        request=RoutingRuleSerializer,
        responses=RoutingRuleSerializer,
        description="Replace a rule (switch it off with `is_active: false`).",
    )
    def put(self, request, pk: int):
        _configurer(request)
        rule = _rule(pk)
        body = RoutingRuleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rule = routing.routing_rule_update(actor=request.user, rule=rule, **body.validated_data)
        return Response(RoutingRuleSerializer(rule).data)

    @extend_schema(operation_id="routing_rules_destroy", responses={204: None})
    def delete(self, request, pk: int):
        _configurer(request)
        routing.routing_rule_delete(actor=request.user, rule=_rule(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RuleTestSerializer(StrictSerializer):
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), allow_null=True, default=None
    )
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WEB)
    postcode = serializers.CharField(max_length=7, allow_blank=True, default="")

    def validate_postcode(self, value: str) -> str:
        try:
            return routing.normalise_prefix(value)
        except routing.RoutingRefused:
            raise serializers.ValidationError(_("Give a postcode, e.g. 1781 AB.")) from None


class RoutingRuleTestView(APIView):
    @extend_schema(
        operation_id="routing_rules_test",
        request=RuleTestSerializer,
        responses=inline_serializer(
            "RoutingRuleTestResult", {"rule": RoutingRuleSerializer(allow_null=True)}
        ),
        description="Which active rule would route a report like this; `rule` is null when "
        "none would (the report would wait in the intake queue). Nothing is saved.",
    )
    def post(self, request):
        _configurer(request)
        body = RuleTestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rule = routing.routing_rule_test(**body.validated_data)
        return Response({"rule": RoutingRuleSerializer(rule).data if rule else None})


class RulePreviewSerializer(StrictSerializer):
    rule = serializers.PrimaryKeyRelatedField(
        queryset=RoutingRule.objects.all(),
        allow_null=True,
        default=None,
        help_text="A saved rule, tried at its own place; null: a new rule, placed by placement.",
    )
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), allow_null=True, default=None
    )
    channel = serializers.ChoiceField(choices=Channel.choices, allow_blank=True, default="")
    postcode_prefix = serializers.CharField(max_length=7, allow_blank=True, default="")
    area = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), allow_null=True, default=None
    )
    placement = serializers.ChoiceField(
        choices=Placement.choices, default=Placement.ABOVE_CATCH_ALLS
    )

    def validate(self, attrs):
        # routing.RoutingRefused (400 naming postcode_prefix) for a prefix that cannot start
        # a postcode, once every field has its type.
        attrs["postcode_prefix"] = routing.normalise_prefix(attrs["postcode_prefix"])
        return attrs


class RulePreviewOutSerializer(StrictSerializer):
    place = serializers.IntegerField()
    of = serializers.IntegerField()
    considered = serializers.IntegerField()
    taken = serializers.IntegerField(allow_null=True)
    counts_hidden = serializers.BooleanField()
    now_with = serializers.DictField(child=serializers.IntegerField())
    categories = serializers.DictField(child=serializers.IntegerField())
    taken_earlier = serializers.DictField(child=serializers.IntegerField())
    references = serializers.ListField(child=serializers.CharField())


class RoutingRulePreviewView(APIView):
    @extend_schema(
        operation_id="routing_rules_preview",
        request=RulePreviewSerializer,
        responses=OpenApiResponse(
            RulePreviewOutSerializer,
            description="`place`/`of`: where the rule stands in the order; `taken`: how many "
            "of the last `considered` reports (at most 100) it would take, by the team they "
            "are with now (`now_with`) and category; `taken_earlier`: reports it fits that an "
            "earlier rule takes, per rule; `references`: only of reports the user may see. "
            "`counts_hidden`: the rule's place is smaller than a postcode's four digits and "
            "the user may not see every report it fits, so `taken` is null and nothing is "
            "counted.",
        ),
        description="Try a rule on the last 100 reports; nothing is saved.",
    )
    def post(self, request):
        _configurer(request)
        body = RulePreviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        saved = data["rule"]
        probe = RoutingRule(pk=saved.pk, position=saved.position) if saved else RoutingRule()
        for name in ("category", "channel", "postcode_prefix", "area"):
            setattr(probe, name, data[name])
        where = landing(probe, data["placement"])
        preview = rule_preview(user=request.user, rule=probe, placement=data["placement"])
        return Response(
            {
                "place": where.number,
                "of": where.total,
                "considered": preview.considered,
                "taken": None if preview.counts_hidden else preview.taken,
                "counts_hidden": preview.counts_hidden,
                "now_with": dict(preview.now_with),
                "categories": dict(preview.categories),
                "taken_earlier": dict(preview.taken_earlier),
                "references": preview.references,
            }
        )


class AssignmentSerializer(StrictSerializer):
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        allow_null=True,
        help_text="null sends the report back to the intake queue.",
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        default=None,
        help_text="A workspace user of that team; null: the team divides the work.",
    )


class ReportAssignmentView(APIView):
    @extend_schema(
        operation_id="reports_assign",
        request=AssignmentSerializer,
        responses={
            200: inline_serializer(
                "ReportAssignment",
                {
                    "id": serializers.IntegerField(),
                    "team": serializers.IntegerField(allow_null=True),
                    "assignee": serializers.IntegerField(allow_null=True),
                },
            ),
            403: OpenApiResponse(description="This role may not assign."),
            404: OpenApiResponse(description="No such report, or not for this user to see."),
        },
        description="Hand a report to a team and possibly a person of that team.",
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk, Action.ASSIGN)
        body = AssignmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team, assignee = body.validated_data["team"], body.validated_data["assignee"]
        report = routing.report_assign(  # refuses with routing.RoutingRefused (400)
            report=report,
            actor=request.user,
            team_id=team.pk if team else None,
            assignee_id=assignee.pk if assignee else None,
        )
        return Response({"id": report.pk, "team": report.team_id, "assignee": report.assignee_id})
