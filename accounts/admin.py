from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "email_verified", "is_staff")
    list_filter = ("email_verified", "is_staff", "groups")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("AHHHA", {"fields": ("display_name", "email_verified")}),
    )
