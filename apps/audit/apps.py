from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"

    def ready(self) -> None:
        from apps.core.navigation import register
        from apps.core.permissions import AUDIT_READERS

        register(url_name="audit:log", label=_("Audit log"), roles=AUDIT_READERS, order=920, icon="journal")
