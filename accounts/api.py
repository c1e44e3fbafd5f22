from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ValidationFailed
from core.serializers import InputSerializer
from core.throttles import THROTTLES

from .limits import signup_wait
from .lockout import lockout_response
from .selectors import tokens_of
from .services import CHECK_YOUR_EMAIL, token_issue, token_revoke, user_register
from .usernames import normalise


class UserRegisterInput(InputSerializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, max_length=128)
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    email_verified = serializers.BooleanField()


class TokenCreateInput(InputSerializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True)
    name = serializers.CharField(max_length=80, required=False, allow_blank=True)


class TokenInfoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text=gettext_lazy("The key's first characters."))
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class TokenOutput(TokenInfoOutput):
    token = serializers.CharField(
        help_text=gettext_lazy("The key: shown this once, only its hash is kept.")
    )


class RegisterAcceptedOutput(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema(
    description=gettext_lazy(
        "With e-mail verification on, every acceptable request gets the same 202 “check "
        "your e-mail” answer, whether the username or address was free (the account is "
        "created) or taken (the mailbox is told): the answer never says which accounts exist."
    )
)
class RegisterApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = THROTTLES
    throttle_scope = "auth"

    @extend_schema(
        request=UserRegisterInput, responses={201: UserOutput, 202: RegisterAcceptedOutput}
    )
    def post(self, request):
        data = UserRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        wait = signup_wait(request, email=values["email"], username=values["username"])
        if wait is not None:
            raise Throttled(wait=wait)
        user = user_register(**values, language=request.LANGUAGE_CODE)
        if settings.EMAIL_VERIFICATION == "mandatory":
            return Response({"detail": CHECK_YOUR_EMAIL}, status=status.HTTP_202_ACCEPTED)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


@extend_schema(
    description=gettext_lazy(
        "A new token for a username and password, each time (several may be held, named; each "
        "expires after `API_TOKEN_TTL_DAYS`). Failures count towards the sign-in lockout (by "
        "address and account together): once locked, 429 with `Retry-After`."
    )
)
class TokenApi(APIView):
    """The lockout is django-axes'."""

    permission_classes = [AllowAny]
    throttle_classes = THROTTLES
    throttle_scope = "auth"

    @extend_schema(request=TokenCreateInput, responses={200: TokenOutput})
    def post(self, request):
        data = TokenCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request  # axes marks the Django request it counted
        user = authenticate(
            http_request,
            username=normalise(data.validated_data["username"]),
            password=data.validated_data["password"],
        )
        if getattr(http_request, "axes_locked_out", False):
            return lockout_response(http_request)
        if user is None:
            raise ValidationFailed.for_field(
                "non_field_errors", gettext("Wrong username or password.")
            )
        token, key = token_issue(member=user, name=data.validated_data.get("name", ""))
        return Response({**TokenInfoOutput(token).data, "token": key})


@extend_schema(
    description=gettext_lazy(
        "The signed-in member's API tokens that still work (never their keys)."
    )
)
class TokenListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TokenInfoOutput(many=True)})
    def get(self, request):
        return Response(TokenInfoOutput(tokens_of(member=request.user), many=True).data)


@extend_schema(
    description=gettext_lazy("Revoke one of one's own API tokens (another member's is not found).")
)
class TokenDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, token_id: int):
        if not token_revoke(member=request.user, token_id=token_id):
            raise NotFound(gettext("No such token."))
        return Response(status=status.HTTP_204_NO_CONTENT)
