"""The Django admin, for admins: organisations, teams, areas, accounts, assignments and the
services directory. It shows a young person's name and date of birth, never a section's
content: no entry model is registered, and a passport appears in its log as "Passport 1a2b3c4d"
(Passport.__str__)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from passport.access import capabilities, reach_changes, sharing
from passport.accounts import tokens
from passport.clinical import nhs
from passport.encryption import keys
from passport.models import (
    Area,
    Authenticator,
    BackupCodes,
    CareTeamAssignment,
    HealthTeam,
    Organisation,
    Passport,
    Placement,
    ReachChange,
    Role,
    Service,
    SocialWorkAssignment,
    User,
)
from passport.records import actions, audit


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts, without the means to take one over (decision 0024): no password
    and no second factor is set or removed here (passwords come from an invitation, the email
    reset or her health team's one-time code); what widens someone's reach waits for a second
    admin (passport.access.reach_changes); nobody is added or deleted here (invitations add people;
    closing an account keeps its history)."""

    list_display = ("username", "display_name", "role", "team", "is_active")
    list_filter = ("role", "is_active", "team")
    search_fields = ("username", "display_name")
    ordering = ("username",)
    # No one gives themselves, or anyone, a role here: roles come from invitations.
    readonly_fields = ("role", "last_login", "date_joined", "is_staff", "is_superuser",
                       "awaiting")
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Person"), {"fields": ("display_name", "job_title", "email", "role", "organisation",
                                  "team", "named_safeguarding_nurse"),
                       "description": _(
                           "A new email, organisation, team or the safeguarding flag is made "
                           "only when a different administrator confirms it. Taking one away "
                           "is made at once.")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login",
                                  "date_joined")}),
        (_("Awaiting a second administrator"), {"fields": ("awaiting",)}),
    )

    def has_add_permission(self, request) -> bool:
        return False  # accounts come from invitations, each with the role it was given

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # close the account instead (untick "active"): its history stays

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied  # nobody sets another person's password

    @admin.display(description=_("changes awaiting a second administrator"))
    def awaiting(self, user: User) -> str:
        waiting = reach_changes.waiting_for(user) if user.pk else []
        if not waiting:
            return _("None")
        return "; ".join(_("%(change)s, asked for by %(admin)s") % {
            "change": change.get_kind_display(), "admin": change.requested_by}
            for change in waiting)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = User.objects.select_for_update().get(pk=obj.pk)
        waiting: list[str] = []
        for kind, field in reach_changes.USER_FIELDS.items():
            name = field.removesuffix("_id")
            if name not in form.changed_data:
                continue
            value = form.cleaned_data[name]
            if reach_changes.widens(kind, value):
                setattr(obj, field, getattr(before, field))  # not yet: it waits
                reach_changes.do_request(request.user, kind, user=obj, value=value)
                waiting.append(name)
                self.message_user(request, _(
                    "Not changed yet: %(change)s for %(user)s waits for a different "
                    "administrator to confirm it, under “Changes awaiting a second "
                    "administrator”.") % {"change": ReachChange.Kind(kind).label,
                                          "user": obj}, messages.WARNING)
            elif kind == ReachChange.Kind.SAFEGUARDING:
                audit.record_event(actor=request.user, action="safeguarding_nurse_changed",
                                   object_id=obj.pk)
            elif kind == ReachChange.Kind.REOPEN:
                # Closed: every session and API token ends now, and stays ended if the
                # account is ever reopened.
                obj.sessions_valid_after = timezone.now()
                tokens.end_all(obj)
        # Nothing but waiting changes: no "changed successfully" beside "not changed yet".
        request._hp_only_waiting = bool(waiting) and set(form.changed_data) <= set(waiting)
        super().save_model(request, obj, form, change)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(request, "_hp_only_waiting", False):
            return
        super().message_user(request, message, level, *args, **kwargs)


class ViewOnly:
    """Rows the admin may look at and never add, change or delete (their actions, if any,
    go through the project's own functions)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class WaitingFilter(admin.SimpleListFilter):
    """The list opens on what waits; decided changes one click away."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", _("Awaiting confirmation")), ("decided", _("Decided")),
                ("all", _("All"))]

    def choices(self, changelist):
        for number, choice in enumerate(super().choices(changelist)):
            if number:  # Django's own "All" would show the default, which is "waiting"
                yield choice

    def queryset(self, request, queryset):
        if self.value() == "decided":
            return queryset.exclude(outcome="")
        if self.value() == "all":
            return queryset
        return queryset.filter(outcome="")


@admin.register(ReachChange)
class ReachChangeAdmin(ViewOnly, admin.ModelAdmin):
    """What waits for a second admin: confirm or cancel, never edit."""

    list_display = ("kind", "user", "shown_value", "requested_by", "outcome")
    list_filter = ("kind",)
    fields = ("kind", "user", "invitation", "shown_value", "requested_by", "requested_at",
              "outcome", "decided_by", "decided_at")
    readonly_fields = fields
    actions = ("confirm", "cancel")


    @admin.display(description=_("new value"))
    def shown_value(self, change: ReachChange) -> str:
        Kind = ReachChange.Kind
        if change.kind == Kind.TEAM and change.value:
            return str(HealthTeam.objects.filter(pk=change.value).first() or "")
        if change.kind == Kind.ORGANISATION and change.value:
            return str(Organisation.objects.filter(pk=change.value).first() or "")
        if change.kind in {Kind.SAFEGUARDING, Kind.REOPEN}:
            return _("Yes") if change.value else _("No")
        if change.kind == Kind.INVITATION:
            return str(Role(change.value).label) if change.value in Role.values else ""
        return change.value

    def get_list_filter(self, request):
        return (WaitingFilter, "kind")

    @admin.action(description=_("Confirm the selected changes (asked for by another "
                                "administrator)"))
    def confirm(self, request, queryset):
        self._decide(request, queryset, reach_changes.do_confirm,
                     _("%(change)s confirmed: it is made now."))

    @admin.action(description=_("Cancel the selected changes"))
    def cancel(self, request, queryset):
        self._decide(request, queryset, reach_changes.do_cancel, _("%(change)s cancelled."))

    def _decide(self, request, queryset, decide, done):
        for change in queryset:
            try:
                decide(request.user, change)
            except ValidationError as error:
                self.message_user(request, _("%(change)s: %(problem)s") % {
                    "change": change, "problem": " ".join(error.messages)}, messages.WARNING)
            else:
                self.message_user(request, done % {"change": change})


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)


class TeamInline(admin.TabularInline):
    model = HealthTeam
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "ods_code")
    filter_horizontal = ("areas",)
    inlines = [TeamInline]


@admin.register(HealthTeam)
class HealthTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "phone")
    list_filter = ("organisation",)

    def get_readonly_fields(self, request, obj=None):
        # Moving a team to another organisation would let that organisation's safeguarding
        # nurses break glass for its young people: a new team is made instead.
        return ("organisation",) if obj is not None else ()


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "national", "needs_checking", "examples", "updated_at")
    list_filter = ("national", "needs_checking", "examples", "areas")
    search_fields = ("name", "provider", "description")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("areas", "only_placed_by")
    # A website typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class NewPassportForm(forms.ModelForm):
    """A new passport: identity only, through the action that encrypts it."""

    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    chosen_name = forms.CharField(label=_("Chosen name"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"))
    nhs_number = forms.CharField(label=_("NHS number"), max_length=14, required=False,
                                 validators=[nhs.normalise])

    class Meta:
        model = Passport
        fields = ("owner", "health_team")

    def clean(self):
        """The action's own checks, before anything is saved, shown on the form."""
        data = super().clean()
        born = data.get("date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth is in the future."))
        owner = data.get("owner")
        if owner is not None and not capabilities.can_own_passport(owner):
            self.add_error("owner", _("Only a young person's account can own a passport."))
        if data.get("nhs_number"):
            try:
                actions.nhs_index_for(data["nhs_number"])
            except ValidationError as error:
                self.add_error("nhs_number", error.message_dict["nhs_number"])
        return data

    def save(self, commit=True):
        # The action saves the passport (encrypted); the admin must not save this bare object.
        self.save_m2m = lambda: None
        return self.instance


@admin.register(Passport)
class PassportAdmin(admin.ModelAdmin):
    list_display = ("name", "born", "health_team", "control", "created_at")
    list_filter = ("health_team", "control")
    fields = ("name", "born", "owner", "health_team", "control", "legal_hold", "care_ended_on",
              "created_at")
    readonly_fields = ("name", "born", "owner", "control", "care_ended_on", "created_at")

    actions = ("back_into_care",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(erased_at__isnull=True)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        keys.preload([p.pk for p in changelist.result_list])  # one query for the page's keys
        return changelist

    @admin.action(description=_("Back into care: reopen the passport (then reassign people)"))
    def back_into_care(self, request, queryset):
        from passport.care import placements

        for passport in queryset:
            try:
                placements.do_back_into_care(request.user, passport)
            except ValidationError as error:
                self.message_user(request, _("%(passport)s: %(problem)s") % {
                    "passport": passport, "problem": " ".join(error.messages)}, messages.WARNING)
            else:
                self.message_user(request, _("%(passport)s reopened: assign the health team "
                                             "again.") % {"passport": passport})

    @admin.display(description=_("name"))
    def name(self, passport: Passport) -> str:
        return passport.display_name

    @admin.display(description=_("date of birth"))
    def born(self, passport: Passport) -> str:
        born = passport.born
        return date_format(born, "j F Y") if born else ""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return NewPassportForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("legal_name", "chosen_name", "date_of_birth", "nhs_number", "owner",
                    "health_team")
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            actions.do_update_passport_settings(request.user, obj, {
                name: form.cleaned_data[name] for name in form.changed_data})
            return
        data = form.cleaned_data
        created = actions.do_create_passport(
            request.user, legal_name=data["legal_name"], chosen_name=data["chosen_name"],
            date_of_birth=data["date_of_birth"], nhs_number=data["nhs_number"],
            owner=data["owner"], health_team=data["health_team"])
        obj.pk, obj._state.adding = created.pk, False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # erasure is manage.py erase_passport, with two authorisers


class YoungPersonColumn:
    """For the admins of rows that point at a passport: a "young person" column showing her
    name (never content), with the page's passports fetched and their keys unwrapped in one
    query each, not one per row."""

    @admin.display(description=_("young person"))
    def young_person(self, row) -> str:
        return row.passport.display_name

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("passport")

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        keys.preload([row.passport_id for row in changelist.result_list])
        return changelist


@admin.register(CareTeamAssignment)
class AssignmentAdmin(YoungPersonColumn, admin.ModelAdmin):
    list_display = ("young_person", "professional", "started_at", "ended_at")
    list_filter = ("professional",)
    fields = ("passport", "professional", "started_at", "ended_at")

    def get_readonly_fields(self, request, obj=None):
        # An assignment is never edited into another: end it, and add the new one.
        if obj is None:
            return ("started_at", "ended_at")
        return ("passport", "professional", "started_at", "ended_at")


    def get_queryset(self, request):
        return super().get_queryset(request).select_related("professional")


    def save_model(self, request, obj, form, change):
        # Through the action, so the young person's own log shows the change.
        actions.do_assign_professional(request.user, obj.passport, obj.professional)
        found = CareTeamAssignment.objects.filter(
            passport=obj.passport, professional=obj.professional, ended_at__isnull=True).first()
        obj.pk = found.pk

    def delete_model(self, request, obj):
        actions.do_end_assignment(request.user, obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            actions.do_end_assignment(request.user, assignment)


# Admins may only see that a second factor exists: never its key, never a way to remove it.
class DeviceAdmin(ViewOnly, admin.ModelAdmin):
    # Removing a factor is how an account is taken over: her health team resets a young
    # person's; a professional who lost every factor is invited again (decision 0024).
    list_display = ("user", "name", "confirmed", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "last_used_at")
    readonly_fields = fields



admin.site.register(Authenticator, DeviceAdmin)
admin.site.register(BackupCodes, DeviceAdmin)


class NewPlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ("passport", "carer", "started_on")

    def clean(self):
        data = super().clean()
        passport, started = data.get("passport"), data.get("started_on")
        still_open = Q(ended_on__isnull=True) | Q(ended_on__gt=started)
        if passport and started and Placement.objects.filter(
                still_open, passport=passport, started_on__gt=started).exists():
            self.add_error("started_on", _("This is before the current placement started: "
                                           "check the date."))
        return data


@admin.register(Placement)
class PlacementAdmin(YoungPersonColumn, admin.ModelAdmin):
    """Placements, through the action: a new one ends the old one, and both go in the young
    person's log."""

    list_display = ("young_person", "carer", "started_on", "ended_on", "confirmed_on")
    fields = ("passport", "carer", "started_on", "ended_on", "confirmed_on")
    form = NewPlacementForm


    def get_readonly_fields(self, request, obj=None):
        return ("ended_on", "confirmed_on") if obj is None else self.fields


    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None  # a placement is never edited: a new one ends it

    def save_model(self, request, obj, form, change):
        placement = sharing.do_place(request.user, obj.passport, obj.carer, obj.started_on)
        obj.pk, obj._state.adding = placement.pk, False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SocialWorkAssignment)
class SocialWorkAdmin(YoungPersonColumn, admin.ModelAdmin):
    list_display = ("young_person", "worker", "started_at", "ended_at")
    fields = ("passport", "worker", "started_at", "ended_at")


    def get_readonly_fields(self, request, obj=None):
        return ("started_at", "ended_at") if obj is None else self.fields


    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None  # never edited into another

    def save_model(self, request, obj, form, change):
        assignment = sharing.do_assign_social_work(request.user, obj.passport, obj.worker)
        obj.pk, obj._state.adding = assignment.pk, False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
