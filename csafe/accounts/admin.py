"""Configuration of teams and staff accounts for administrators.

Only the administrator role may use the admin site, and no model holding children's data is
registered here. Writes go through accounts.services so that team-manager permissions stay in step.

An administrator sets no password (the forms have no password field: the person is sent a link
and chooses their own) and no superuser flag, group or permission (is_staff follows the role in
accounts.services). They cannot change their own role, team or whether their account is on.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from csafe.core.errors import ApplicationError

from . import permissions, services, two_factor
from .models import Team, User


def _is_administrator(request) -> bool:
    return permissions.can_configure(request.user)


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


class StaffForm(forms.ModelForm):
    """The fields an administrator may set, and nothing else: no password, is_superuser,
    is_staff, groups or user_permissions. The rule of accounts.services that a practitioner or
    team manager has a team is checked here too, where the form can still show it."""

    def clean(self):
        cleaned = super().clean()
        if permissions.role_needs_team(cleaned.get("role")) and not cleaned.get("team"):
            raise ValidationError({"team": services.NEEDS_TEAM})
        return cleaned


class StaffCreationForm(StaffForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields[
            "email"
        ].help_text = "The person is sent a link here to choose their own password."


class StaffChangeForm(StaffForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "email",
            "job_title",
            "phone",
            "role",
            "team",
            "is_active",
        ]


SELF_FIELDS = ("role", "team", "is_active")


@admin.register(User)
class UserAdmin(AdministratorOnly, admin.ModelAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username",)}),
        ("Person", {"fields": ("first_name", "last_name", "email", "job_title", "phone")}),
        ("Role and team", {"fields": ("role", "team", "is_active")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username",)}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Role and team", {"fields": ("role", "team")}),
    )

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # One's own role, team and switch are not one's own to change (the service refuses too).
        return ("username", *SELF_FIELDS) if obj.pk == request.user.pk else ("username",)

    def save_model(self, request, obj, form, change):
        """Through accounts.services. The form has been validated, so a refusal here is a rule
        the form cannot see (a race): it is reported and nothing is saved."""
        data = form.cleaned_data
        if not change:
            created = services.user_create(
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                team=data.get("team"),
            )
            services.user_invite(actor=request.user, user=created)
            obj.pk = created.pk
            messages.info(request, f"An invitation to choose a password was sent to {obj.email}.")
            return
        stored = User.objects.get(pk=obj.pk)
        services.user_details_update(
            actor=request.user,
            user=obj,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            job_title=data.get("job_title", ""),
            phone=data.get("phone", ""),
        )
        services.user_update(
            actor=request.user,
            user=obj,
            role=data.get("role", stored.role),
            team=data.get("team", stored.team),
            is_active=data.get("is_active", stored.is_active),
        )

    def save_related(self, request, form, formsets, change):
        pass  # no many-to-many fields here: groups follow the role, in accounts.services

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:
            # The admin's transaction has rolled back: nothing of the change is saved.
            self.message_user(request, error.message, level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    actions = ["reset_two_factor", "send_password_link"]

    @admin.action(description="Reset two-factor sign-in (lost phone and recovery codes)")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor.two_factor_reset(actor=request.user, user=user)
        self.message_user(
            request,
            f"Two-factor sign-in reset for {queryset.count()} account(s), and they were signed "
            "out everywhere. Managers and administrators set up a new authenticator app when "
            "they next sign in.",
        )

    @admin.action(description="Send a link to choose a password (invitation or reset)")
    def send_password_link(self, request, queryset):
        sent = 0
        for user in queryset:
            if not user.has_usable_password() and user.last_login is None:
                if user.is_active and user.email:
                    services.user_invite(actor=request.user, user=user)
                    sent += 1
            elif services.user_password_reset_send(actor=request.user, user=user):
                sent += 1
        self.message_user(
            request,
            f"A link to choose a password was sent to {sent} account(s). Accounts switched off "
            "or without an e-mail address were left out.",
        )


# DRF's authtoken app stays installed for its old migrations only: its tokens are no longer
# accepted, and its admin page would let an administrator mint a key for someone else.
try:
    from rest_framework.authtoken.models import TokenProxy

    admin.site.unregister(TokenProxy)
except (ImportError, admin.sites.NotRegistered):
    pass
