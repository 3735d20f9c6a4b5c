"""django-cleanup (deletes a file when its row is deleted or the file replaced), without its work
on every row read.

django-cleanup remembers each instance's file names in a `post_init` handler, i.e. for every
row of every model with a file field that any page reads: a talk page made ~40 such instances
(speakers, recordings, attachments), and building a FieldFile per file field of each cost ~5 %
of a page miss. It also has a documented fallback: when an instance being saved carries no
remembered names, its `pre_save` handler reads them from the database. Without the `post_init`
handler every save takes that path: one small query more per save of such a model (organisers'
edits, rare), none on a page.
"""

from django.db.models.signals import post_init
from django_cleanup import cache
from django_cleanup.apps import CleanupConfig
from django_cleanup.handlers import cache_original_post_init


class CleanupOnWriteConfig(CleanupConfig):
    def ready(self):
        super().ready()
        for model in cache.cleanup_models():
            post_init.disconnect(cache_original_post_init, sender=model,
                                 dispatch_uid=f"post_init_django_cleanup_{cache.get_model_name(model)}")
