from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "apps.scorecards"
    label = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self) -> None:
        from apps.core.navigation import register
        from apps.core.permissions import ALL_ROLES

        register(url_name="scorecards:list", label=_("Scorecards"), icon="clipboard-data", roles=ALL_ROLES, order=50)
