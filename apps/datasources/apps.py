from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasourcesConfig(AppConfig):
    name = "apps.datasources"
    label = "datasources"
    verbose_name = _("Data inventory")

    def ready(self) -> None:
        from apps.core.navigation import register
        from apps.core.permissions import ALL_ROLES

        register(url_name="datasources:list", label=_("Data inventory"), icon="database", roles=ALL_ROLES, order=20)
