"""Input and output serializers, built from each entry type's own fields (one code path for
every section), plus the services directory."""

from __future__ import annotations

import functools

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from passport.care import leaver_summary
from passport.encryption.fields import (
    EncryptedBooleanField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedField,
    EncryptedIntegerField,
)
from passport.models import HOLDABLE_SECTIONS, Entry, Need, Service


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know: a caller cannot set what it may not (no mass
    assignment)."""

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set.")] for name in sorted(unknown)})
        return attrs


class TakesBackStored:
    """Also takes back, as it is, the value the entry being changed holds (context "entry"),
    even one no longer accepted as new (a withdrawn choice, text longer than today's limit):
    the API gave it, and the action keeps it unchanged, as the edit page does. As a new value
    it is still refused."""

    def to_internal_value(self, data):
        stored = getattr(self.context.get("entry"), self.field_name, None)
        if stored not in (None, "") and str(data) == str(stored):
            return stored
        return super().to_internal_value(data)


class StoredChoiceField(TakesBackStored, serializers.ChoiceField):
    pass


class StoredCharField(TakesBackStored, serializers.CharField):
    def run_validators(self, value):
        stored = getattr(self.context.get("entry"), self.field_name, None)
        if value == stored:
            return  # what it holds already: not checked against today's limit
        super().run_validators(value)


def _api_field(field: models.Field, required: bool = False) -> serializers.Field:
    common = {"required": required, "allow_null": not required,
              "help_text": str(field.help_text or "")}
    if isinstance(field, models.ForeignKey):
        return serializers.PrimaryKeyRelatedField(queryset=field.related_model.objects.all(),
                                                  **common)
    if isinstance(field, EncryptedField) and field.choices:
        return StoredChoiceField(choices=field.choices, **common)
    if isinstance(field, EncryptedDateField | models.DateField):
        return serializers.DateField(**common)
    if isinstance(field, EncryptedIntegerField):
        return serializers.IntegerField(**common)
    if isinstance(field, EncryptedDecimalField):
        return serializers.DecimalField(max_digits=8, decimal_places=field.decimal_places,
                                        **common)
    if isinstance(field, EncryptedBooleanField | models.BooleanField):
        return serializers.BooleanField(**common)
    return StoredCharField(allow_blank=not required,
                           max_length=getattr(field, "text_limit", 5000), **common)


@functools.cache
def entry_input(model: type[Entry], amend: bool = False) -> type[StrictSerializer]:
    attrs = {f.name: _api_field(f, required=not amend and f.name in model.REQUIRED)
             for f in model.content_fields()}
    attrs["is_private"] = serializers.BooleanField(required=False, allow_null=True, help_text=_(
        "Leave out for the usual rule: private for sexual health, pregnancy, gender identity, "
        "substance use and mental health."))
    for name, (_follows, label) in model.CONFIRMS.items():  # given with this save, not stored
        attrs[name] = serializers.BooleanField(required=False, write_only=True, help_text=label)
    if amend:
        attrs["reason"] = serializers.CharField(max_length=500)
    elif getattr(model, "SECTION", None) in HOLDABLE_SECTIONS:
        attrs["hold_back_opinion"] = serializers.CharField(
            required=False, max_length=4000, write_only=True, help_text=_(
                "Her health team only: hold the new entry back from her in the same step, with "
                "your opinion of the serious harm seeing it would be likely to cause, and why."))
    return type(f"{model.__name__}{'Amend' if amend else ''}Input", (StrictSerializer,), attrs)


@functools.cache
def entry_output(model: type[Entry]) -> type[serializers.Serializer]:
    attrs = {f.name: _api_field(f) for f in model.content_fields()}
    attrs |= {
        "id": serializers.UUIDField(),
        "type": serializers.CharField(source="TYPE"),
        "section": serializers.CharField(source="section_key"),
        "version": serializers.IntegerField(),
        "is_private": serializers.BooleanField(),
        "added_by_young_person": serializers.BooleanField(),
        "created_at": serializers.DateTimeField(),
        "updated_at": serializers.DateTimeField(),
    }
    if model.TYPE == "before_review":  # her say before a review: when she sent it, and who
        attrs |= {  # helped her write it (their name)
            "sent_on": serializers.DateField(allow_null=True, help_text=_(
                "The day she sent it to her health team; empty while it is her draft.")),
            "helped_by": serializers.CharField(source="helped_by.display_name", allow_null=True,
                                               default=None, help_text=_(
                "Who helped her write it (her carer), if anyone.")),
        }
    return type(f"{model.__name__}Output", (serializers.Serializer,), attrs)


def any_entry_output(many: bool = False):
    """Every entry type's output, told apart by its `type` (for the schema)."""
    from drf_spectacular.utils import PolymorphicProxySerializer

    from passport.records import sections

    return PolymorphicProxySerializer(
        component_name="Entry", resource_type_field_name="type", many=many,
        serializers={key: entry_output(model) for key, model in sections.TYPES.items()})


def any_entry_input(amend: bool = False):
    """Every entry type's input; the path's type names which (for the schema)."""
    from drf_spectacular.utils import PolymorphicProxySerializer

    from passport.records import sections

    return PolymorphicProxySerializer(
        component_name="EntryAmendment" if amend else "NewEntry", resource_type_field_name=None,
        # Called as everywhere else, so functools.cache hands back the very same classes.
        serializers=[entry_input(model, True) if amend else entry_input(model)
                     for model in sections.TYPES.values()])


class SectionOutput(serializers.Serializer):
    section = serializers.CharField()
    title = serializers.CharField()
    entries = serializers.ListField(child=serializers.DictField())
    not_known_yet = serializers.ListField(child=serializers.DictField())


class RevisionOutput(serializers.Serializer):
    version = serializers.IntegerField()
    content = serializers.JSONField()
    reason = serializers.CharField(allow_null=True)
    changed_by = serializers.CharField(source="changed_by.display_name")
    changed_at = serializers.DateTimeField()


class ServiceOutput(serializers.ModelSerializer):
    needs = serializers.ListField(source="need_keys", child=serializers.CharField())
    areas = serializers.StringRelatedField(many=True)
    only_placed_by = serializers.StringRelatedField(many=True)

    class Meta:
        model = Service
        fields = ["id", "slug", "name", "provider", "description", "needs", "min_age",
                  "max_age", "national", "areas", "eligibility", "only_placed_by", "address",
                  "phone", "text", "website", "opening_times", "needs_checking", "examples"]


class ServiceFilterInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    need = serializers.ChoiceField(required=False, allow_blank=True, choices=Need.choices)
    age = serializers.IntegerField(required=False, min_value=0, max_value=30)
    area = serializers.UUIDField(required=False)
    placed_by = serializers.UUIDField(required=False)


class CountsOutput(serializers.Serializer):
    due = serializers.IntegerField()
    on_time = serializers.IntegerField()
    declined = serializers.IntegerField()
    late = serializers.IntegerField()
    not_done = serializers.IntegerField()
    share_on_time = serializers.IntegerField(allow_null=True)


class QuarterOutput(serializers.Serializer):
    """One quarter's area figures: counts only, nothing about any one child."""

    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    in_care = serializers.IntegerField()
    initial = CountsOutput()
    review = CountsOutput()
    breaches_by_reason = serializers.SerializerMethodField()
    not_brought = serializers.IntegerField()
    earlier_initial = serializers.IntegerField(help_text=_(
        "On the oldest quarter only: initial assessments that fell due before it and are "
        "still not done."))
    earlier_review = serializers.IntegerField(help_text=_(
        "On the oldest quarter only: reviews that fell due before it and are still not done."))

    def get_breaches_by_reason(self, quarter) -> list[dict]:
        return [{"reason": reason, "count": count} for reason, count in quarter.reason_rows()]


class FiguresOutput(serializers.Serializer):
    areas = serializers.StringRelatedField(many=True)
    quarters = QuarterOutput(many=True)


class LeaverAnswerInput(serializers.Serializer):
    reviewed = serializers.BooleanField(default=False)
    up_to_date = serializers.BooleanField(default=False)
    still_unknown = serializers.CharField(default="", allow_blank=True, max_length=2000)

    def to_internal_value(self, data):
        """Strict like StrictSerializer, which cannot be nested (it reads initial_data)."""
        unknown = set(data) - set(self.fields) if isinstance(data, dict) else set()
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set.")] for name in sorted(unknown)})
        return super().to_internal_value(data)


class LeaverChecklistInput(StrictSerializer):
    """The whole checklist: a section left out counts as not reviewed."""

    checklist = serializers.DictField(child=LeaverAnswerInput())

    def validate_checklist(self, value):
        unknown = set(value) - set(leaver_summary.CHECKED)
        if unknown:
            raise serializers.ValidationError(
                {key: [_("Not a section of the summary.")] for key in sorted(unknown)})
        return value


class LeaverRowOutput(serializers.Serializer):
    section = serializers.CharField()
    title = serializers.CharField()
    entries = serializers.IntegerField()
    not_known_yet = serializers.IntegerField(source="unknown")
    reviewed = serializers.BooleanField()
    up_to_date = serializers.BooleanField()
    still_unknown = serializers.CharField()


class HeldPlanOutput(serializers.Serializer):
    """When to review and plan the release; never the entry or the opinion."""

    section = serializers.CharField(source="hold.section")
    entry_type = serializers.CharField(source="hold.entry_type")
    review_due_on = serializers.DateField()
    plan_release_by = serializers.DateField(allow_null=True)


class LeaverSummaryOutput(serializers.Serializer):
    sections = LeaverRowOutput(many=True)
    held = HeldPlanOutput(many=True)
    ready_at = serializers.DateTimeField(allow_null=True)
    ready_by = serializers.CharField(allow_null=True)
