from django import forms
from django.utils.translation import gettext_lazy as _

from clustertalks.accounts import services


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false",
             "autofocus": True}
        )


class SecondFactorForm(forms.Form):
    """One field for the 6-digit code of the app or one recovery code."""

    code = CodeField(
        label=_("Code"),
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        device, error = services.verify_code(self.user, self.cleaned_data["code"])
        if device is None:
            raise forms.ValidationError(error)
        self.device = device
        return self.cleaned_data["code"]


class ConfirmAppForm(forms.Form):
    code = CodeField(
        label=_("Code from the app"),
        help_text=_("After adding the account, type the 6-digit code the app shows."),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        if not services.confirm_app_device(self.device, self.cleaned_data["code"]):
            raise forms.ValidationError(
                _("This code does not match. Check the time on your phone and type the code "
                  "the app shows now.")
            )
        return self.cleaned_data["code"]
