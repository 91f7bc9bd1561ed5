"""The URL package of :class:`apps.sso.saml_provider.CharterSAMLProvider` (allauth imports ``<package>.urls``)."""
