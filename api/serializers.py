from django.utils.translation import gettext as _
from rest_framework import serializers

from passport.models import ConditionKind


class ConditionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConditionKind.choices)
    name = serializers.CharField(max_length=200)
    details = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    what_to_do = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    started_on = serializers.DateField(required=False, allow_null=True)
    ended_on = serializers.DateField(required=False, allow_null=True)
    is_private = serializers.BooleanField(required=False)

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set.")] for name in sorted(unknown)}
            )
        return attrs


class ConditionAmendInput(ConditionInput):
    reason = serializers.CharField(max_length=500)

    def __init__(self, *args, **kwargs):
        # Partial: only the fields being changed. The reason is always needed.
        super().__init__(*args, partial=True, **kwargs)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not (attrs.get("reason") or "").strip():
            raise serializers.ValidationError({"reason": [_("Say why you are changing it.")]})
        return attrs


class ConditionOutput(serializers.Serializer):
    id = serializers.UUIDField()
    version = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    details = serializers.CharField(allow_null=True)
    what_to_do = serializers.CharField(allow_null=True)
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    is_private = serializers.BooleanField()
    added_by_young_person = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RevisionOutput(serializers.Serializer):
    version = serializers.IntegerField()
    content = serializers.JSONField()
    reason = serializers.CharField(allow_null=True)
    changed_by = serializers.CharField(source="changed_by.display_name")
    changed_at = serializers.DateTimeField()
