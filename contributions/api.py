"""The products and contributions API (SPEC section 7).

Shares in the contribution table are **decimal strings**: the member's fraction of the
contributor pool with six decimal places (``"0.250000"`` is a quarter of the pool); the shares
of a table add up to exactly ``"1.000000"``. Amounts are integers in minor units with a currency.
"""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsVerifiedMember
from core.errors import NotFound, ValidationFailed
from core.fields import StrictIntegerField
from core.pagination import PaginatedMixin
from core.serializers import InputSerializer
from core.throttles import THROTTLES
from ideas.selectors import idea_unhidden_get

from .models import ContributionKind
from .selectors import (
    contribution_list_for_idea,
    product_get,
    product_list,
    product_of_idea,
)
from .services import (
    DESCRIPTION_MISSING,
    DESCRIPTION_TOO_LONG,
    EVIDENCE_URL_MESSAGE,
    KIND_MESSAGE,
    MAX_DESCRIPTION,
    MAX_POINTS,
    POINTS_MESSAGE,
    contribution_submit,
)
from .standings import standings, with_totals

# --- Input --------------------------------------------------------------------------------------
# Each field says what is wrong in the services' own sentences (core.errors.ValidationFailed).

_ANY = ("required", "null", "blank", "invalid", "invalid_choice", "min_value", "max_value")


def _say(message: str, *keys: str) -> dict[str, str]:
    return dict.fromkeys(keys or _ANY, message)


# What members may claim (funding comes from pledges); named in the schema by SPECTACULAR_SETTINGS.
CLAIMABLE_KIND_CHOICES = [k for k in ContributionKind.choices if k[0] != ContributionKind.FUNDING]


class ContributionClaimInput(InputSerializer):
    kind = serializers.ChoiceField(
        choices=CLAIMABLE_KIND_CHOICES,
        error_messages=_say(KIND_MESSAGE),
    )
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION,
        error_messages={**_say(DESCRIPTION_MISSING), "max_length": DESCRIPTION_TOO_LONG},
    )
    proposed_points = StrictIntegerField(
        min_value=1, max_value=MAX_POINTS, error_messages=_say(POINTS_MESSAGE)
    )
    evidence_url = serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=200,
        error_messages=_say(EVIDENCE_URL_MESSAGE, "invalid", "null", "max_length"),
    )
    evidence_file = serializers.FileField(
        required=False,
        allow_empty_file=False,
        error_messages=_say(
            gettext_lazy("Upload an evidence file that is not empty."), "empty", "invalid"
        ),
    )


class ContributionClaimByIdeaInput(ContributionClaimInput):
    idea = StrictIntegerField(
        min_value=1, error_messages=_say(gettext_lazy("Choose an idea by its id."))
    )


# The product detail carries this many rows of the contribution table; the rest is paginated at
# products/{id}/contributions/ (a product can have 300,000 contributors).
DETAIL_TABLE_ROWS = 10


def _table_rows(rows) -> list[dict]:
    # The table can hold 100,000 rows: plain dicts, not a serializer per row.
    return [
        {"member": r.member_id, "member_name": r.member_name, "points": r.points, "share": r.share}
        for r in rows
    ]


# --- Output -------------------------------------------------------------------------------------


class TableRowOutput(serializers.Serializer):
    member = serializers.IntegerField(
        source="member_id", help_text=gettext_lazy("The member's user id.")
    )
    member_name = serializers.CharField()
    points = serializers.IntegerField()
    share = serializers.CharField(
        help_text=gettext_lazy(
            "Fraction of the contributor pool as a decimal string with six places."
        )
    )


class ProductListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    title = serializers.CharField(source="idea.title")
    summary = serializers.CharField(source="idea.summary")
    currency = serializers.CharField()
    funding_goal = serializers.IntegerField(help_text=gettext_lazy("Minor units."))
    amount_raised = serializers.IntegerField(help_text=gettext_lazy("Minor units."))
    platform_fee_bp = serializers.IntegerField()
    points_per_unit = serializers.IntegerField()
    total_points = serializers.SerializerMethodField()
    contributor_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_total_points(self, product) -> int:
        return int(product.total_points or 0)


class ContributionSummaryOutput(serializers.Serializer):
    contributor_count = serializers.IntegerField()
    total_points = serializers.IntegerField()
    shown = serializers.IntegerField(
        help_text=gettext_lazy("Rows in `contributions`: the largest first.")
    )
    table = serializers.CharField(help_text=gettext_lazy("The whole table, paginated."))


class ProductDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    title = serializers.CharField(source="idea.title")
    summary = serializers.CharField(source="idea.summary")
    creator = serializers.IntegerField(source="idea.creator_id")
    currency = serializers.CharField()
    funding_goal = serializers.IntegerField(help_text=gettext_lazy("Minor units."))
    amount_raised = serializers.IntegerField(help_text=gettext_lazy("Minor units."))
    platform_fee_bp = serializers.IntegerField()
    points_per_unit = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    contributions = TableRowOutput(
        many=True,
        source="table",
        help_text=format_lazy(
            gettext_lazy("The top {rows} rows of the table."), rows=DETAIL_TABLE_ROWS
        ),
    )
    contribution_summary = ContributionSummaryOutput()


class ContributionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField(source="member.public_name")
    kind = serializers.CharField()
    # What the platform wrote (a pledge's claim) in the Accept-Language language.
    description = serializers.CharField(source="description_text")
    evidence_url = serializers.CharField()
    evidence_file = serializers.SerializerMethodField()
    evidence_type = serializers.CharField(source="evidence_mime")
    proposed_points = serializers.IntegerField()
    points = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    endorsed = serializers.SerializerMethodField()
    endorsed_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.IntegerField(source="decided_by_id", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField(source="decision_reason_text")
    created_at = serializers.DateTimeField()

    def get_evidence_file(self, obj) -> str | None:
        if not obj.evidence_file:
            return None
        request = self.context.get("request")
        url = reverse("contributions:evidence", args=[obj.pk])  # asks who may see it
        return request.build_absolute_uri(url) if request else url

    def get_endorsed(self, obj) -> bool:
        return obj.endorsed_at is not None


def _product_or_404(request, product_id: int):
    product = product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise NotFound(gettext("No such product."))
    return product


# --- Views --------------------------------------------------------------------------------------


class ProductListApi(PaginatedMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=ProductListOutput(many=True),
        description=gettext_lazy("Products, newest first, with their funding totals (anyone)."),
    )
    def get(self, request):
        return self.paginated(
            product_list(viewer=request.user),
            lambda page: ProductListOutput(with_totals(list(page)), many=True).data,
        )


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProductDetailOutput)
    def get(self, request, product_id: int):
        product = _product_or_404(request, product_id)
        table = standings(idea=product.idea)
        product.table = []
        product.contribution_summary = {
            "contributor_count": len(table),
            "total_points": table.total_points,
            "shown": min(len(table), DETAIL_TABLE_ROWS),
            "table": request.build_absolute_uri(
                reverse("api-product-contributions", args=[product.pk])
            ),
        }
        data = ProductDetailOutput(product).data
        data["contributions"] = _table_rows(table[:DETAIL_TABLE_ROWS])
        return Response(data)


@extend_schema(
    description=gettext_lazy(
        "GET: the product's contribution table, paginated (anyone). POST: claim a contribution "
        "(verified members). The claims themselves are listed at "
        "`/api/v1/contributions/?product={id}`."
    )
)
class ProductContributionsApi(PaginatedMixin, APIView):
    permission_classes = [IsVerifiedMember]
    throttle_classes = THROTTLES
    throttle_scope = "claim"

    @extend_schema(responses=TableRowOutput(many=True))
    def get(self, request, product_id: int):
        product = _product_or_404(request, product_id)
        return self.paginated(standings(idea=product.idea), _table_rows)

    @extend_schema(request=ContributionClaimInput, responses={201: ContributionOutput})
    def post(self, request, product_id: int):
        product = _product_or_404(request, product_id)
        data = ContributionClaimInput(data=request.data)
        data.is_valid(raise_exception=True)
        contribution = contribution_submit(
            product=product, member=request.user, **data.validated_data
        )
        return Response(
            ContributionOutput(contribution, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ClaimListInput(InputSerializer):
    product = StrictIntegerField(
        min_value=1,
        error_messages={
            "required": gettext_lazy("Choose a product: add ?product=<its id>."),
            "invalid": gettext_lazy("Choose a product by its id, a whole number."),
        },
    )


@extend_schema(
    description=gettext_lazy(
        "GET `?product={id}`: the product's claims visible to you (approved ones for everyone; "
        "pending and rejected ones for the claimant, the creator and reviewers). POST a claim "
        "by idea id; the idea must be a funded product (else 400 on `idea`)."
    )
)
class ContributionClaimApi(PaginatedMixin, APIView):
    permission_classes = [IsVerifiedMember]
    throttle_classes = THROTTLES
    throttle_scope = "claim"

    @extend_schema(parameters=[ClaimListInput], responses=ContributionOutput(many=True))
    def get(self, request):
        query = ClaimListInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        product = _product_or_404(request, query.validated_data["product"])
        return self.paginated(
            contribution_list_for_idea(idea=product.idea, viewer=request.user),
            lambda page: ContributionOutput(page, many=True, context={"request": request}).data,
        )

    @extend_schema(request=ContributionClaimByIdeaInput, responses={201: ContributionOutput})
    def post(self, request):
        data = ContributionClaimByIdeaInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        idea = idea_unhidden_get(idea_id=fields.pop("idea"))
        if idea is None:
            raise ValidationFailed.for_field("idea", gettext("Choose an idea that exists."))
        product = product_of_idea(idea=idea)
        contribution = contribution_submit(product=product, member=request.user, **fields)
        return Response(
            ContributionOutput(contribution, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
