"""Forms built from an entry type's own fields, so every section's page shares one code path."""

from __future__ import annotations

import dataclasses
import datetime
import functools

from dateutil.relativedelta import relativedelta
from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from passport.encryption.fields import (
    EncryptedBooleanField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedField,
    EncryptedIntegerField,
    EncryptedTextField,
)
from passport.models import Assessment, Entry, Sex
from passport.records.actions import private_as_usual


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """An action's ValidationError, shown on the form fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """A date picker. It reads and writes only ISO dates (2027-01-06), whatever the language
    of the page: given a date in the language's own form (06/01/2027) a browser shows an empty
    field, and saving the form untouched would then erase the date."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class DateField(forms.DateField):
    """A date, read back only as the date picker sends it (2027-01-06). Taking the language's
    own forms too would read 03/04/2027 as 3 April on an English page and 4 March on an Arabic
    one (typed where a browser has no date picker, or posted by a script)."""

    widget = DateInput
    input_formats = [ISO_DATE]
    default_error_messages = {
        "invalid": _("Enter the date as year, month and day, for example 2027-01-06."),
    }


class Form(forms.Form):
    """Labels without Django's trailing colon: they read as questions and plain names."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


PRIVACY_CHOICES = [
    ("auto", _("As usual: private if it is about mental health, alcohol or drugs, gender "
               "identity, sexual health or pregnancy")),
    ("private", _("Private: only the young person and their health team")),
    ("shared", _("Not private: whoever may see this section")),
]


def _bounds(field: models.Field) -> dict:
    bounds = {}
    for validator in field.validators:
        if validator.code == "min_value":
            bounds["min_value"] = validator.limit_value
        if validator.code == "max_value":
            bounds["max_value"] = validator.limit_value
    return bounds


def _with_bounds(common: dict, field: models.Field) -> dict:
    """A number's limits, said as the range it takes ("Enter a number from 0 to 10.")
    rather than Django's "Ensure this value is less than or equal to 10."."""
    bounds = _bounds(field)
    if "min_value" in bounds and "max_value" in bounds:
        # Lazy: the form is built once and serves every language.
        words = format_lazy(_("Enter a number from {low} to {high}."),
                            low=bounds["min_value"], high=bounds["max_value"])
        messages = dict(common.get("error_messages", {}), min_value=words, max_value=words)
        return dict(common, error_messages=messages, **bounds)
    return dict(common, **bounds)


def form_field(field: models.Field, required: bool) -> forms.Field:
    # Lazy: the form class is built once and serves every language.
    label = capfirst(field.verbose_name)
    common = {"label": label, "required": required, "help_text": field.help_text}
    if required and hasattr(field.model, "missing"):  # the same words as the action's check
        common["error_messages"] = {"required": field.model.missing(field.name)}
    if not isinstance(field, EncryptedField):
        if isinstance(field, models.DateField):
            return DateField(**common)
        return field.formfield(**common)
    if field.choices:
        choices = list(field.choices)
        if len(choices) <= 5:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", _("Choose")), *choices], **common)
    if isinstance(field, EncryptedDateField):
        return DateField(**common)
    if isinstance(field, EncryptedIntegerField):
        return forms.IntegerField(**_with_bounds(common, field))
    if isinstance(field, EncryptedDecimalField):
        return forms.DecimalField(decimal_places=field.decimal_places, max_digits=8,
                                  **_with_bounds(common, field))
    if isinstance(field, EncryptedBooleanField):
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect,
            coerce=lambda v: v == "yes", empty_value=None, **common)
    if isinstance(field, EncryptedTextField) and field.long:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=field.text_limit, **common)
    return forms.CharField(max_length=getattr(field, "text_limit", 500), **common)


class NewPasswordForm(Form):
    """A new password typed twice, as a password manager expects (an invitation, a code from
    her nurse). Subclasses may relabel the two fields."""

    password1 = forms.CharField(label=_("Choose a password"),
                                widget=forms.PasswordInput(attrs={"autocomplete":
                                                                  "new-password"}),
                                help_text=_("At least 10 characters. A few unrelated words "
                                            "work well."))
    password2 = forms.CharField(label=_("Type the password again"),
                                widget=forms.PasswordInput(attrs={"autocomplete":
                                                                  "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are different."))
        return data


class EntryForm(Form):
    model: type[Entry]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _keep_withdrawn_choice(field, self.initial.get(name))
            _keep_longer_text(field, self.initial.get(name))

    def clean(self):
        """The entry type's own rules too (an end before a start), so every problem shows at
        once; the action checks again, with the date of birth."""
        data = super().clean()
        try:
            self.model.check_entry(data, None, timezone.localdate())
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        return data

    def entry_data(self) -> dict:
        """What the action receives: the entry's fields, and privacy if the writer chose."""
        data = {name: self.cleaned_data.get(name) for name in self.model.content_names()}
        data |= {name: True for name in self.model.CONFIRMS if self.cleaned_data.get(name)}
        stored_kind = self.initial.get("kind") if "version" in self.fields else None
        if self.model is Assessment and data.get("kind") == "review" != stored_kind:
            # Asked at an initial assessment only: a new review, or one changed from an
            # initial assessment on this form, keeps none of them (hidden questions are still
            # posted). A review saved before keeps what it has.
            data |= dict.fromkeys(Assessment.INITIAL_ONLY)
        privacy = self.cleaned_data.get("privacy")
        data["is_private"] = {"private": True, "shared": False}.get(privacy)
        return data


# Her say before a review, in a child's words (under 11): the same answers, asked simply.
CHILD_WORDS = {
    "going_well": _("What is good right now?"),
    "worries": _("Is anything bothering you?"),
    "talk_about": _("What do you want to talk about?"),
    "where_to_meet": _("Where would you like to meet your nurse?"),
    "who_there": _("Who would you like to be with you?"),
    "seen_alone": _("Do you want to talk to your nurse without a grown-up for a "
                               "bit?"),
}


# Who can see an entry, asked of her in her own words.
HER_PRIVACY_CHOICES = [
    ("auto", _("As usual: private if it is about mental health, alcohol or drugs, gender "
               "identity, sexual health or pregnancy (choose its topic)")),
    ("private", _("Private: only me and my health team")),
    ("shared", _("Not private: also whoever can see this section, like my carer")),
]


def in_her_words(form: forms.Form) -> None:
    """Her own form: the privacy question in her words, and no clinical coding to fill in."""
    if "privacy" in form.fields:
        form.fields["privacy"].choices = HER_PRIVACY_CHOICES
    form.fields.pop("snomed_code", None)


def for_her_age(form: forms.Form, reach) -> None:
    """Her say before a review asked in a child's words, under 11."""
    from passport.care import before_review

    if before_review.in_a_childs_words(reach):
        for name, label in CHILD_WORDS.items():
            if name in form.fields:
                form.fields[name].label = label


def _keep_withdrawn_choice(field: forms.Field, value) -> None:
    """A stored choice that is no longer offered stays on the form as it is, so the entry can
    be saved untouched (or with another field changed) without losing it."""
    if not isinstance(field, forms.ChoiceField) or value in (None, ""):
        return
    if str(value) not in {str(key) for key, _label in field.choices}:
        field.choices = [*field.choices, (value, str(value))]


def _keep_longer_text(field: forms.Field, value) -> None:
    """Text stored before the limits were one rule (the API took 5,000 characters where the
    page takes 500) can still be saved as it is; a new value keeps to the limit (the action
    checks the values that change)."""
    limit = getattr(field, "max_length", None)
    if not isinstance(value, str) or limit is None or len(value) <= limit:
        return
    field.max_length = len(value)
    field.validators = [v for v in field.validators
                        if not isinstance(v, validators.MaxLengthValidator)]
    field.validators.append(validators.MaxLengthValidator(len(value)))
    field.widget.attrs["maxlength"] = str(len(value))


@functools.cache
def entry_form(model: type[Entry], amend: bool = False) -> type[EntryForm]:
    attrs: dict = {"model": model}
    after = {follows: (name, label) for name, (follows, label) in model.CONFIRMS.items()}
    for field in model.content_fields():
        attrs[field.name] = form_field(field, required=field.name in model.REQUIRED)
        if field.name in after:  # asked with each save, never shown ticked from before
            name, label = after[field.name]
            attrs[name] = forms.BooleanField(label=label, required=False)
    if not model.ALWAYS_PRIVATE:  # nothing to choose otherwise
        attrs["privacy"] = forms.ChoiceField(
            label=_("Who can see this entry?"), choices=PRIVACY_CHOICES, initial="auto",
            widget=forms.RadioSelect, required=False)
    if amend:
        attrs["version"] = forms.IntegerField(widget=forms.HiddenInput)
        attrs["reason"] = forms.CharField(label=_("Why are you changing it?"), max_length=500)
    return type(f"{model.__name__}{'Amend' if amend else ''}Form", (EntryForm,), attrs)


def initial_for(entry: Entry) -> dict:
    values = {}
    for field in entry.content_fields():
        value = getattr(entry, field.attname)
        if isinstance(field, EncryptedBooleanField) and value is not None:
            value = "yes" if value else "no"
        values[field.name] = value
    if not entry.ALWAYS_PRIVATE:
        values["privacy"] = _privacy_shown(entry)
    return values | {"version": entry.version}


def _privacy_shown(entry: Entry) -> str:
    """"As usual" while the entry follows the usual rule, so that a change of its topic (to
    pregnancy, say) makes it private as a new entry would be; else the choice made for it."""
    if entry.is_private == private_as_usual(entry):
        return "auto"
    return "private" if entry.is_private else "shared"


class IdentityForm(Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    chosen_name = forms.CharField(label=_("Name they want to be called"), max_length=200,
                                  required=False)
    nhs_number = forms.CharField(label=_("NHS number"), max_length=14, required=False,
                                 help_text=_("10 digits, like 943 476 5919."))
    sex = forms.ChoiceField(
        label=_("Sex for vaccines and growth charts"), required=False,
        choices=[("", _("Not recorded")), *Sex.choices], help_text=_(
            "As registered at birth. It decides which vaccines are offered and which growth "
            "chart is read; it is kept apart from gender identity, and only the young person "
            "and the health team see it."))


class ChosenNameForm(Form):
    chosen_name = forms.CharField(label=_("The name you want to be called"), max_length=200,
                                  required=False)


class DateOfBirthForm(Form):
    date_of_birth = DateField(label=_("New date of birth"))
    reason = forms.CharField(label=_("Why is it changing?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("For example: an age assessment, with who did it."))


# --- a health assessment's form --------------------------------------------------------------

# The assessment's questions in the order of a clinic, each group under a heading. `when`: the
# kind of assessment a group is asked at (shown only then; app.js follows the choice).
ASSESSMENT_GROUPS = (
    ("", _("The assessment"), ("kind", "held_on", "outcome", "outcome_reason", "done_by",
                               "profession")),
    ("initial", _("Initial assessment only"), Assessment.INITIAL_ONLY),
    ("", _("How it was held"), ("who_was_present", "seen_alone", "interpreter", "location",
                                "consent", "own_words")),
    ("", _("Measurements"), ("height_cm", "weight_kg", "head_circumference_cm",
                             "measurements_checked")),
    ("", _("Health"), ("development", "dental", "sight", "hearing", "emotional_wellbeing")),
    ("", _("Summary and plan"), ("summary", "plan_ready_on", "late_reason_kind",
                                 "late_reason")),
)


@dataclasses.dataclass(frozen=True)
class FieldGroup:
    when: str  # "" always; else the kind of assessment it is asked at
    legend: str
    fields: list
    hidden: bool


def _date_of(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def fit_assessment_form(form: EntryForm, born: datetime.date | None) -> EntryForm:
    """Only the questions for this young person: the under-fives' ones are left out if she
    was 5 or over on the assessment's date (today, until a date is given), unless an earlier
    save answered them, which then stay to be seen and kept. Gives the form its groups, for the
    template."""
    on = _date_of(form.data.get("held_on") if form.is_bound else form.initial.get("held_on"))
    if born is not None and relativedelta(on or timezone.localdate(), born).years >= 5:
        for name in Assessment.UNDER_FIVE:
            if form.initial.get(name) in (None, ""):
                form.fields.pop(name, None)
    kind = (form.data.get("kind") if form.is_bound else form.initial.get("kind")) or ""
    placed = {name for _when, _legend, names in ASSESSMENT_GROUPS for name in names}
    groups = []
    for when, legend, names in ASSESSMENT_GROUPS:
        fields = [form[name] for name in names if name in form.fields]
        if legend == ASSESSMENT_GROUPS[-1][1]:  # nothing a later field adds goes unshown
            fields += [form[name] for name in form.fields
                       if name not in placed and name not in ("privacy", "version", "reason")]
        if fields:
            # Hidden when another kind is chosen; with no choice yet they stay in view.
            # app.js follows a change of choice (without it, they show once the draft with
            # "initial" chosen is saved).
            groups.append(FieldGroup(when, legend, fields, bool(when and kind and kind != when)))
    form.groups = groups
    return form
