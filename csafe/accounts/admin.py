"""Configuration of teams and staff accounts for administrators.

Only the administrator role may use the admin site, and no model holding children's data is
registered here. Writes go through accounts.services so that team-manager permissions stay in step.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError

from . import services, two_factor
from .models import Role, Team, User


def _is_administrator(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and getattr(user, "role", None) == Role.ADMINISTRATOR


admin.site.has_permission = _is_administrator


class AdministratorOnly:
    def has_module_permission(self, request):
        return _is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_add_permission(self, request):
        return _is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts and teams are deactivated, never deleted


@admin.register(Team)
class TeamAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    search_fields = ["name"]
    fields = ["name", "description", "is_active"]

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save()
        else:
            created = services.team_create(
                actor=request.user, name=obj.name, description=obj.description
            )
            obj.pk = created.pk
            obj.managers_group = created.managers_group


class RoleNeedsTeam:
    """The rule of accounts.services.user_update, checked while the form can still show it:
    by save_model the user row is already saved and the admin has no way to report an error."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in {Role.PRACTITIONER, Role.TEAM_MANAGER} and not cleaned.get(
            "team"
        ):
            raise ValidationError({"team": "Practitioners and team managers must belong to a team"})
        return cleaned


class StaffChangeForm(RoleNeedsTeam, UserChangeForm):
    pass


class StaffCreationForm(RoleNeedsTeam, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(AdministratorOnly, DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title", "phone")}),
        ("Role and team", {"fields": ("role", "team", "is_active")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Role and team", {"fields": ("role", "team")}),
    )

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        services.user_update(actor=request.user, user=obj, role=obj.role, team=obj.team)

    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor sign-in (lost phone and recovery codes)")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor.two_factor_reset(actor=request.user, user=user)
        self.message_user(
            request,
            f"Two-factor sign-in reset for {queryset.count()} account(s). Managers and "
            "administrators set up a new authenticator app when they next sign in.",
        )
