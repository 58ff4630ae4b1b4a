"""The hub's forms. Every one is posted with Django's CSRF token (the templates' {% csrf_token %})."""

from __future__ import annotations

from django import forms

from generator.collection.templates import DATASETS, select_indicators
from hub.rounds.models import Round
from hub.rounds.services import authorities, catalogue
from hub.rounds.uploads import size_limit
from scorecard.errors import ScorecardError
from scorecard.periods import normalise_period


class OpenRoundForm(forms.Form):
    period = forms.CharField(max_length=40, help_text="For example 2024-25 Q1, Mar 2025 or 2024-25.")
    dataset = forms.ChoiceField(required=False, help_text="A named dataset, or choose themes or "
                                "indicators below instead.")
    themes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    indicators = forms.CharField(required=False, label="Indicator ids",
                                 help_text="Comma-separated ids from the catalogue, instead of a "
                                 "dataset or themes.")
    authorities = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple,
                                            label="Authorities taking part")
    deadline = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="Returns after this day are shown as late.")
    contact = forms.CharField(max_length=200, required=False,
                              help_text="Who authorities ask about the return (on the template).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [("", "(none: themes or indicators below)")] + [
            (name, title) for name, (title, _) in DATASETS.items()]
        self.fields["themes"].choices = [(t, t) for t in catalogue().themes()]
        self.fields["authorities"].choices = [(a.code, f"{a.name} ({a.code})" if a.name else a.code)
                                              for a in authorities().values()]

    def clean_period(self) -> str:
        try:
            period = normalise_period(self.cleaned_data["period"])
        except ScorecardError as error:
            raise forms.ValidationError(str(error)) from None
        if Round.objects.filter(period=period).exists():
            raise forms.ValidationError(f"A round for {period} is already open.")
        return period

    def clean(self):
        data = super().clean()
        chosen = [bool(data.get("dataset")), bool(data.get("themes")), bool(data.get("indicators"))]
        if sum(chosen) != 1:
            raise forms.ValidationError("Choose one of: a dataset, some themes, or indicator ids.")
        ids = [i.strip() for i in (data.get("indicators") or "").split(",") if i.strip()]
        unknown = [i for i in ids if i not in catalogue()]
        if unknown:
            self.add_error("indicators", f"Not in the catalogue: {', '.join(unknown)}")
            return data
        try:
            data["title"], chosen_indicators = select_indicators(
                catalogue(), dataset=data.get("dataset") or None, themes=data.get("themes") or (),
                ids=ids)
        except ScorecardError as error:
            raise forms.ValidationError(str(error)) from None
        data["indicator_ids"] = [i.id for i in chosen_indicators]
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label="Your filled return (.xlsx)", required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.size_limit = size_limit()

    def clean(self):
        if self.too_large:
            raise forms.ValidationError(f"The file is over the {self.size_limit} limit for a "
                                        "return: nothing was stored.")
        data = super().clean()
        if not data.get("file"):
            raise forms.ValidationError("Choose the file of your filled return to upload.")
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             help_text="The authority sees this reason.")


class ConfirmQueryForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                              help_text="Why the figure is right (the hub lead sees this).")


class PublishForm(forms.Form):
    confirm = forms.BooleanField(label="I have checked the returns: publish the round to every "
                                 "authority and viewer")
