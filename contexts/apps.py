from django.apps import AppConfig


class ContextsConfig(AppConfig):
    name = "contexts"
    verbose_name = "Context records: peer groups, schools and locations"

    def ready(self):
        from csafe.core.vocabulary import register_peer_group_word

        from .selectors.core import peer_group_word

        # The pathway (cases) shows context kinds too, in the same word, without importing us.
        register_peer_group_word(peer_group_word)
