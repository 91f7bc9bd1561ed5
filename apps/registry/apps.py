from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "apps.registry"
    label = "registry"
    verbose_name = _("Model registry")

    def ready(self) -> None:
        from apps.core.navigation import register
        from apps.core.permissions import ALL_ROLES

        register(url_name="registry:list", label=_("Model registry"), icon="boxes", roles=ALL_ROLES, order=45)
