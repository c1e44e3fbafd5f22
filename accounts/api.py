from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ValidationFailed
from core.throttles import THROTTLES

from .services import user_register


class UserRegisterInput(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, max_length=128)
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    email_verified = serializers.BooleanField()


class TokenCreateInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = THROTTLES
    throttle_scope = "auth"

    @extend_schema(request=UserRegisterInput, responses={201: UserOutput})
    def post(self, request):
        data = UserRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_register(**data.validated_data)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = THROTTLES
    throttle_scope = "auth"

    @extend_schema(request=TokenCreateInput, responses={200: TokenOutput})
    def post(self, request):
        data = TokenCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None:
            raise ValidationFailed.for_field("non_field_errors", "Wrong username or password.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
