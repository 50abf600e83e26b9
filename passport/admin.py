"""The Django admin: accounts only for now. It never shows a passport's content; a passport
appears in its log as "Passport 1a2b3c4d", never by name (Passport.__str__)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from passport.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    ordering = ("username",)
    # No one gives themselves, or anyone, a role here: roles come from invitations (issue 4).
    readonly_fields = ("role", "last_login", "date_joined", "is_superuser")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("display_name", "email", "role")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login",
                                  "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
    )
