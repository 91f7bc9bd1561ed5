from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "apps.organizations"
    label = "organizations"

    def ready(self) -> None:
        from apps.core.navigation import register
        from apps.core.permissions import ADMINS, ALL_ROLES

        register(url_name="org_dashboard", label=_("Overview"), roles=ALL_ROLES, order=0, icon="house")
        register(url_name="org_members", label=_("Members"), roles=ALL_ROLES, order=900, icon="people")
        register(url_name="org_settings", label=_("Settings"), roles=ADMINS, order=950, icon="gear")
        register(url_name="org_tokens", label=_("API tokens"), roles=ALL_ROLES, order=960, icon="key")
