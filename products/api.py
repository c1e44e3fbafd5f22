"""The products API: a product's team, life (stage, milestones, timeline) and abandonment
(SPEC section 7)."""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import NotFound, ValidationFailed
from core.serializers import InputSerializer

from . import selectors, services


def product_or_404(request, product_id: int):
    product = selectors.product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise NotFound(gettext("No such product."))
    return product


class TeamMemberInput(InputSerializer):
    username = serializers.CharField(
        max_length=150,
        error_messages=dict.fromkeys(
            ("required", "null", "blank", "max_length"),
            gettext_lazy("Enter the username of the member to add."),
        ),
    )


class TeamMemberOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    username = serializers.CharField(source="member.username")
    name = serializers.CharField(source="member.public_name")
    role = serializers.CharField(help_text="`creator` or `member`.")
    added_at = serializers.DateTimeField(allow_null=True)


def _team_rows(product) -> list[dict]:
    creator = product.idea.creator
    rows = [
        {"member_id": creator.pk, "member": creator, "role": "creator", "added_at": None},
    ]
    for row in selectors.product_team(product=product):
        rows.append(
            {
                "member_id": row.member_id,
                "member": row.member,
                "role": "member",
                "added_at": row.created_at,
            }
        )
    return rows


class ProductTeamApi(APIView):
    """The product's team: its creator and the members the creator added (GET, anyone who may
    see the product); POST adds a member by username (the creator, or staff). The team may
    manage the product with the creator: milestones, expenses."""

    def get_permissions(self):
        return [] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(responses=TeamMemberOutput(many=True))
    def get(self, request, product_id: int):
        product = product_or_404(request, product_id)
        return Response(TeamMemberOutput(_team_rows(product), many=True).data)

    @extend_schema(request=TeamMemberInput, responses={201: TeamMemberOutput})
    def post(self, request, product_id: int):
        product = product_or_404(request, product_id)
        data = TeamMemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = selectors.member_by_username(data.validated_data["username"])
        if member is None:
            raise ValidationFailed.for_field("username", gettext("No member has this username."))
        row = services.product_team_add(product=product, actor=request.user, member=member)
        out = {"member_id": member.pk, "member": member, "role": "member"}
        out["added_at"] = row.created_at
        return Response(TeamMemberOutput(out).data, status=status.HTTP_201_CREATED)
