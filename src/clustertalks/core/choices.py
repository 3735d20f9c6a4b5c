"""A field's choice label, as `instance.get_<field>_display()` gives it, for pages that show many.

Django's get_FOO_display() builds a dict of the field's choices on every call, hashing each
label through make_hashable(): a translated label is a lazy string, and hashing it translates
it, so a field with a few choices cost ~10-20 µs a call (the 24 spoken languages, more). Here
the dict is built once per field and only the shown label is translated (str() in the active
language, as Django's force_str does): the same text.
"""

from django.utils.encoding import force_str

_choices: dict = {}


def choice_label(instance, field_name: str):
    field = instance._meta.get_field(field_name)
    choices = _choices.get(field)
    if choices is None:
        choices = _choices[field] = dict(field.flatchoices)
    value = getattr(instance, field.attname)
    return force_str(choices.get(value, value), strings_only=True)
