from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clustertalks.talks.models import Topic

from . import services
from .models import Subscriber


class PreferencesForm(forms.Form):
    follow = forms.ChoiceField(label=_("What to follow"), choices=Subscriber.Follow.choices,
                               widget=forms.RadioSelect, initial=Subscriber.Follow.SERIES)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used when you follow only some topics, and for the alerts."))
    alerts = forms.BooleanField(
        label=_("Also send me an alert when a talk on my topics is announced or a recording is out"),
        required=False)
    language = forms.ChoiceField(label=_("Language of the emails"), choices=lambda: settings.LANGUAGES,
                                 initial=settings.LANGUAGE_CODE)


class SignupForm(PreferencesForm):
    field_order = ["email", "name"]
    email = forms.CharField(label=_("Email"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    website = forms.CharField(  # a trap for robots, hidden from people and assistive technology
        required=False, max_length=200, label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean_email(self):
        try:
            return services.clean_email(self.cleaned_data["email"])
        except services.SignupRefused as error:
            raise forms.ValidationError(str(error)) from None

    def clean_name(self):
        try:
            return services.clean_name(self.cleaned_data["name"])
        except services.SignupRefused as error:
            raise forms.ValidationError(str(error)) from None
