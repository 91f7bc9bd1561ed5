from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "apps.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        from apps.core.navigation import register
        from apps.core.permissions import ADMINS

        register(url_name="sso:index", label=_("Single sign-on"), roles=ADMINS, order=940, icon="shield-lock")
