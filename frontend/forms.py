from django import forms
from django.utils.translation import gettext_lazy as _

from passport.models import ConditionKind


class DateInput(forms.DateInput):
    input_type = "date"


class Form(forms.Form):
    """Labels without Django's trailing colon: they read as questions and plain names."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ConditionForm(Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=ConditionKind.choices,
                             widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("For example: asthma, penicillin, salbutamol inhaler."))
    details = forms.CharField(label=_("Details"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Reaction and how bad it is, or dose and how often."))
    what_to_do = forms.CharField(label=_("What to do"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("What a carer or teacher should do."))
    started_on = forms.DateField(label=_("Since"), required=False, widget=DateInput)
    ended_on = forms.DateField(label=_("Ended"), required=False, widget=DateInput)
    is_private = forms.BooleanField(
        label=_("Private: only the young person and their health team can see it"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end date is before the start date."))
        return data


class AmendConditionForm(ConditionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why are you changing it?"), max_length=500)
