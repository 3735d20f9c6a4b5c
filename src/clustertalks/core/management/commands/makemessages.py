"""Django's makemessages, also reading the strings given to materials.markup's translate(),
blocktranslate() and blocktranslate_plural(): the template tags' rules written in Python for the
talk page's materials block. Without them xgettext would not see those strings, and would drop
their translations from the catalogues as obsolete."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=translate",
        "--keyword=blocktranslate",
        "--keyword=blocktranslate_plural:1,2",
    ]
