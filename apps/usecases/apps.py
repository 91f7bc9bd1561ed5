from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsecasesConfig(AppConfig):
    name = "apps.usecases"
    label = "usecases"
    verbose_name = _("Use cases")

    def ready(self) -> None:
        from apps.core.navigation import register
        from apps.core.permissions import ALL_ROLES

        register(url_name="usecases:list", label=_("Use cases"), icon="lightbulb", roles=ALL_ROLES, order=10)
