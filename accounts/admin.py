from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError

from .models import User
from .rules import may_take_username


class UserCreationForm(AdminUserCreationForm):
    """Django's form (usernames NFKC-normalised), refusing names that look like an existing one.
    Staff may create staff-like names ("support") here."""

    class Meta(AdminUserCreationForm.Meta):
        model = User

    def clean_username(self):
        username = super().clean_username()
        refusal = may_take_username(username=username, staff=True)
        if refusal is not None:
            raise ValidationError(refusal.message)
        return username


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    list_display = ("username", "display_name", "email", "email_verified", "is_staff")
    list_filter = ("email_verified", "is_staff", "groups")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("AHHHA", {"fields": ("display_name", "email_verified")}),
    )
