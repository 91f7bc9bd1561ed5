"""The project's URLconf plus apps.sso.public_urls, for as long as config/urls.py does not include
them yet (tests/sso/conftest.py switches to it only in that case)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("sso/", include("apps.sso.public_urls"))]
