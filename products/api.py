"""The products API: a product's life (stage, milestones, timeline), its team and its
abandonment (SPEC section 7). Who may: ``products.rules``; nothing here restates a rule."""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from contributions.api import ProductDetailApi, ProductDetailOutput
from core.errors import NotFound, ValidationFailed
from core.fields import StrictIntegerField
from core.serializers import InputSerializer

from . import selectors, services
from .life_models import Stage
from .pages import life_summary
from .timeline import timeline_rows


def product_or_404(request, product_id: int):
    product = selectors.product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise NotFound(gettext("No such product."))
    return product


def _say(message, *keys: str) -> dict:
    return dict.fromkeys(keys or ("required", "null", "blank", "invalid", "max_length"), message)


# --- Output -------------------------------------------------------------------------------------


class MilestoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    due_date = serializers.DateField()
    status = serializers.SerializerMethodField(
        help_text=gettext_lazy("`open`, `overdue` or `done`.")
    )
    done_at = serializers.DateTimeField(allow_null=True)
    done_note = serializers.CharField()
    done_update = serializers.IntegerField(source="done_update_id", allow_null=True)

    def get_status(self, milestone) -> str:
        if milestone.done_at is not None:
            return "done"
        today = self.context.get("today")
        return "overdue" if today and milestone.overdue_on(today) else "open"


class TimelineEventOutput(serializers.Serializer):
    code = serializers.CharField()
    params = serializers.DictField()
    text = serializers.CharField(help_text=gettext_lazy("The event in the reader's language."))
    actor = serializers.CharField(
        help_text=gettext_lazy("Who did it (public name), empty for the platform.")
    )
    note = serializers.CharField()
    at = serializers.DateTimeField()


class LifeOutput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    ending = serializers.CharField(
        help_text=gettext_lazy("`completed` or `abandoned` once ended, else empty.")
    )
    stage_since = serializers.DateTimeField()
    next_milestone = MilestoneOutput(allow_null=True)
    last_update_at = serializers.DateTimeField(allow_null=True)
    quiet = serializers.BooleanField(help_text=gettext_lazy("No creator update for 30 days."))
    abandonment = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("`asked` or `confirmed`, `null` when nobody asked.")
    )
    timeline = TimelineEventOutput(many=True)


def life_data(product) -> dict:
    summary = life_summary(product)
    context = {"today": summary["today"]}
    abandonment = selectors.abandonment_of(product=product)
    nxt = summary["next_milestone"]
    return {
        "stage": summary["stage"],
        "ending": summary["ending"],
        "stage_since": serializers.DateTimeField().to_representation(summary["stage_since"]),
        "next_milestone": MilestoneOutput(nxt, context=context).data if nxt else None,
        "last_update_at": summary["last_update"].created_at if summary["last_update"] else None,
        "quiet": summary["quiet"],
        "abandonment": abandonment.status if abandonment else None,
        "timeline": TimelineEventOutput(
            timeline_rows(selectors.timeline(product=product, limit=20)), many=True
        ).data,
    }


class ProductOutput(ProductDetailOutput):
    life = LifeOutput()


# --- The product --------------------------------------------------------------------------------


class ProductPatchInput(InputSerializer):
    stage = serializers.ChoiceField(
        choices=Stage.choices,
        error_messages=_say(
            gettext_lazy("Choose a stage: prototype, production, on_sale or ended."),
            "required",
            "null",
            "invalid_choice",
        ),
    )
    note = serializers.CharField(
        max_length=services.NOTE_MAX,
        error_messages=_say(gettext_lazy("Write a note: what changed for the product.")),
    )


@extend_schema(
    description=gettext_lazy(
        "A product (GET, anyone who may see it): its terms, its contribution table's top rows "
        "and its `life` (stage, next milestone, last update, timeline). PATCH moves its `stage` "
        "forward with a `note` (its creator or a reviewer); the move is on its public timeline."
    )
)
class ProductApi(ProductDetailApi):
    def get_permissions(self):
        return [] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(responses=ProductOutput)
    def get(self, request, product_id: int):
        response = super().get(request, product_id)
        product = product_or_404(request, product_id)
        response.data["life"] = life_data(product)
        return response

    @extend_schema(request=ProductPatchInput, responses={200: LifeOutput})
    def patch(self, request, product_id: int):
        product = product_or_404(request, product_id)
        data = ProductPatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.product_stage_move(product=product, actor=request.user, **data.validated_data)
        return Response(life_data(product))


# --- Milestones ---------------------------------------------------------------------------------


class MilestoneInput(InputSerializer):
    title = serializers.CharField(
        max_length=services.TITLE_MAX,
        error_messages=_say(gettext_lazy("Give the milestone a title of at most 200 characters.")),
    )
    due_date = serializers.DateField(
        error_messages=_say(
            gettext_lazy("Enter the due date as YYYY-MM-DD."), "required", "null", "invalid"
        )
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.DESCRIPTION_MAX,
        error_messages=_say(gettext_lazy("Shorten the description to 5000 characters.")),
    )


class MilestonePatchInput(InputSerializer):
    title = serializers.CharField(
        required=False,
        max_length=services.TITLE_MAX,
        error_messages=_say(gettext_lazy("Give the milestone a title of at most 200 characters.")),
    )
    due_date = serializers.DateField(
        required=False,
        error_messages=_say(gettext_lazy("Enter the due date as YYYY-MM-DD."), "null", "invalid"),
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.DESCRIPTION_MAX,
        error_messages=_say(gettext_lazy("Shorten the description to 5000 characters.")),
    )
    done = serializers.BooleanField(
        required=False,
        help_text=gettext_lazy(
            "`true` marks it done; give a `note` or an `update` (a creator update's id)."
        ),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.NOTE_MAX,
        error_messages=_say(gettext_lazy("Shorten the note to 2000 characters.")),
    )
    update = StrictIntegerField(required=False, allow_null=True, min_value=1)


@extend_schema(
    description=gettext_lazy(
        "The product's milestones by due date (GET, anyone who may see the product), each "
        "`open`, `overdue` or `done`; POST adds one (the creator and the product's team)."
    )
)
class ProductMilestonesApi(APIView):
    def get_permissions(self):
        return [] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(responses=MilestoneOutput(many=True))
    def get(self, request, product_id: int):
        product = product_or_404(request, product_id)
        rows = selectors.milestones_of(product=product)
        context = {"today": life_summary(product)["today"]}
        return Response(MilestoneOutput(rows, many=True, context=context).data)

    @extend_schema(request=MilestoneInput, responses={201: MilestoneOutput})
    def post(self, request, product_id: int):
        product = product_or_404(request, product_id)
        data = MilestoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = services.milestone_add(
            product=product, actor=request.user, **data.validated_data
        )
        context = {"today": life_summary(product)["today"]}
        return Response(
            MilestoneOutput(milestone, context=context).data, status=status.HTTP_201_CREATED
        )


@extend_schema(
    description=gettext_lazy(
        "PATCH a milestone (the creator and the team): its title, description or due date while "
        "open, or `done: true` with a `note` or an `update` (a creator update's id)."
    )
)
class ProductMilestoneApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=MilestonePatchInput, responses={200: MilestoneOutput})
    def patch(self, request, product_id: int, milestone_id: int):
        product = product_or_404(request, product_id)
        milestone = selectors.milestone_get(product=product, milestone_id=milestone_id)
        if milestone is None:
            raise NotFound(gettext("No such milestone."))
        data = MilestonePatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        update_id = values.pop("update", None)
        update = None
        if update_id is not None:
            update = selectors.update_of_idea(idea=product.idea, update_id=update_id)
            if update is None:
                raise ValidationFailed.for_field(
                    "update", gettext("Choose an update posted on this product's idea.")
                )
        milestone = services.milestone_change(
            milestone=milestone, actor=request.user, update=update, **values
        )
        context = {"today": life_summary(product)["today"]}
        return Response(MilestoneOutput(milestone, context=context).data)


# --- Team ---------------------------------------------------------------------------------------


class TeamMemberInput(InputSerializer):
    username = serializers.CharField(
        max_length=150,
        error_messages=_say(
            gettext_lazy("Enter the username of the member to add."),
            "required",
            "null",
            "blank",
            "max_length",
        ),
    )


class TeamMemberOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    username = serializers.CharField(source="member.username")
    name = serializers.CharField(source="member.public_name")
    role = serializers.CharField(help_text=gettext_lazy("`creator` or `member`."))
    added_at = serializers.DateTimeField(allow_null=True)


def _team_rows(product) -> list[dict]:
    creator = product.idea.creator
    rows = [{"member_id": creator.pk, "member": creator, "role": "creator", "added_at": None}]
    for row in selectors.product_team(product=product):
        rows.append(
            {"member_id": row.member_id, "member": row.member, "role": "member"}
            | {"added_at": row.created_at}
        )
    return rows


@extend_schema(
    description=gettext_lazy(
        "The product's team: its creator and the members the creator added (GET, anyone who may "
        "see the product); POST adds a member by username (the creator, or staff). The team may "
        "manage the product with the creator: milestones, expenses."
    )
)
class ProductTeamApi(APIView):
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


# --- Abandonment --------------------------------------------------------------------------------


class AbandonInput(InputSerializer):
    reason = serializers.CharField(
        max_length=services.REASON_MAX,
        error_messages=_say(gettext_lazy("Give the reason: the backers read it.")),
    )


class AbandonmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.IntegerField(source="product_id")
    status = serializers.CharField(help_text=gettext_lazy("`asked` or `confirmed`."))
    reason = serializers.CharField()
    asked_by = serializers.CharField(source="asked_by.public_name")
    asked_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


@extend_schema(
    description=gettext_lazy(
        "Ask to abandon the product with a `reason`: its creator at any time, a reviewer once "
        "the product has had no update and no milestone met for 90 days. A different reviewer "
        "confirms (`abandon/confirm/`)."
    )
)
class ProductAbandonApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AbandonInput, responses={201: AbandonmentOutput})
    def post(self, request, product_id: int):
        product = product_or_404(request, product_id)
        data = AbandonInput(data=request.data)
        data.is_valid(raise_exception=True)
        abandonment = services.abandonment_ask(
            product=product, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(AbandonmentOutput(abandonment).data, status=status.HTTP_201_CREATED)


@extend_schema(
    description=gettext_lazy(
        "Confirm the abandonment asked for (a reviewer other than the one who asked, never the "
        "creator): the product ends, abandoned, and the refunds of its available funds to its "
        "backers start."
    )
)
class ProductAbandonConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: AbandonmentOutput})
    def post(self, request, product_id: int):
        product = product_or_404(request, product_id)
        abandonment = services.abandonment_confirm(product=product, actor=request.user)
        return Response(AbandonmentOutput(abandonment).data)
