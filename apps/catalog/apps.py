from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "apps.catalog"
    label = "catalog"
    verbose_name = _("Model catalog")

    def ready(self) -> None:
        from apps.core.navigation import register
        from apps.core.permissions import ALL_ROLES

        register(url_name="catalog:list", label=_("Model catalog"), icon="journal-richtext", roles=ALL_ROLES, order=40)
