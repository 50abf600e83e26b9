"""Input and output serializers, built from each entry type's own fields (one code path for
every section), plus the services directory."""

from __future__ import annotations

import functools

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from passport.fields import (
    EncryptedBooleanField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedField,
    EncryptedIntegerField,
)
from passport.models import Entry, Need, Service


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know: a caller cannot set what it may not (no mass
    assignment)."""

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set.")] for name in sorted(unknown)})
        return attrs


def _api_field(field: models.Field, required: bool = False) -> serializers.Field:
    common = {"required": required, "allow_null": not required,
              "help_text": str(field.help_text or "")}
    if isinstance(field, models.ForeignKey):
        return serializers.PrimaryKeyRelatedField(queryset=field.related_model.objects.all(),
                                                  **common)
    if isinstance(field, EncryptedField) and field.choices:
        return serializers.ChoiceField(choices=field.choices, **common)
    if isinstance(field, EncryptedDateField | models.DateField):
        return serializers.DateField(**common)
    if isinstance(field, EncryptedIntegerField):
        return serializers.IntegerField(**common)
    if isinstance(field, EncryptedDecimalField):
        return serializers.DecimalField(max_digits=8, decimal_places=field.decimal_places,
                                        **common)
    if isinstance(field, EncryptedBooleanField | models.BooleanField):
        return serializers.BooleanField(**common)
    return serializers.CharField(allow_blank=not required, max_length=5000, **common)


@functools.cache
def entry_input(model: type[Entry], amend: bool = False) -> type[StrictSerializer]:
    attrs = {f.name: _api_field(f, required=not amend and f.name in model.REQUIRED)
             for f in model.content_fields()}
    attrs["is_private"] = serializers.BooleanField(required=False, allow_null=True, help_text=_(
        "Leave out for the usual rule: private for sexual health, pregnancy, gender identity, "
        "substance use and mental health."))
    if amend:
        attrs["reason"] = serializers.CharField(max_length=500)
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
    return type(f"{model.__name__}Output", (serializers.Serializer,), attrs)


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
                  "phone", "text", "website", "opening_times", "needs_checking"]


class ServiceFilterInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    need = serializers.ChoiceField(required=False, allow_blank=True, choices=Need.choices)
    age = serializers.IntegerField(required=False, min_value=0, max_value=30)
    area = serializers.UUIDField(required=False)
    placed_by = serializers.UUIDField(required=False)
