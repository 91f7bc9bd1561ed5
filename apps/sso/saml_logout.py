"""SAML single logout (SLO, HTTP-Redirect binding) for connections whose IdP has a single logout URL.

**What a SAML sign-in leaves in the session.** The NameID (value, format, qualifiers) and the SessionIndex
of the assertion, with the connection's provider id and the user (:func:`remember_saml_session`, from
``AccountAdapter.post_login``; the values come from :class:`apps.sso.saml_provider.CharterSAMLProvider`
through ``sociallogin.state``, so they survive allauth's login stages). A LogoutRequest must name them.

**SP-initiated** (the user signs out of Charter). allauth's ``LogoutView`` asks the account adapter for the
redirect URL *before* it ends the session: :func:`sp_logout_redirect_url` then builds the LogoutRequest
(python3-saml ``logout()``, signed when the connection signs its requests) and returns the IdP URL; the
session ends in ``AccountAdapter.logout`` and :func:`sp_logout_finished` audits ``sso.logout``
(``initiated_by: sp``) and keeps the request ID in the new, anonymous session. The browser reaches the IdP
already signed out of Charter. The IdP's LogoutResponse comes back to :class:`SamlSingleLogoutView`, which
checks it (issuer, destination, signature when signed, ``InResponseTo``, status) and shows the normal
post-logout page.

**IdP-initiated** (the IdP sends the browser with a LogoutRequest to our SLS). :class:`SamlSingleLogoutView`
requires the request to be signed by the IdP's certificate (python3-saml ``wantMessagesSigned``, set for
this view only: at the ACS it would also require signed Responses, which many IdPs do not send), and ends
the session only when it came through this connection and the request names its NameID (and SessionIndex,
when both have one) — python3-saml checks neither. Otherwise this browser's session is left alone; the IdP
still gets its LogoutResponse (that principal has no session here). A session that ends is audited as
``sso.logout`` with ``initiated_by: idp``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields
from typing import Any
from xml.sax.saxutils import escape

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.saml.utils import build_saml_config, get_app_or_404, prepare_django_request
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.errors import OneLogin_Saml2_Error
from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request

from apps.sso import selectors, services
from apps.sso.models import SsoConnection

logger = logging.getLogger(__name__)

STATE_KEY = "sso_saml_session"  # in sociallogin.state, from pre_social_login to post_login
SESSION_KEY = "sso_saml_session"  # the SAML session of the signed-in user
PENDING_KEY = "sso_saml_logout_request"  # our LogoutRequest awaiting the IdP's LogoutResponse
_REQUEST_ATTR = "_sso_saml_logout"  # between get_logout_redirect_url and logout, on the request object


@dataclass(frozen=True)
class SamlSession:
    provider_id: str
    name_id: str
    name_id_format: str = ""
    name_id_nq: str = ""
    name_id_spnq: str = ""
    session_index: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> SamlSession | None:
        if not isinstance(data, dict) or not data.get("provider_id") or not data.get("name_id"):
            return None
        return cls(**{f.name: str(data.get(f.name) or "") for f in fields(cls)})

    def named_by(self, logout_request_xml: str) -> bool:
        """Does the IdP's LogoutRequest name this session's principal (and session)?"""
        try:
            name_id = OneLogin_Saml2_Logout_Request.get_nameid_data(logout_request_xml)
            indexes = OneLogin_Saml2_Logout_Request.get_session_indexes(logout_request_xml)
        except Exception:  # encrypted NameID (we publish no encryption key), no NameID, broken XML
            return False
        if name_id.get("Value") != self.name_id:
            return False
        requested_format = name_id.get("Format") or ""
        if requested_format and self.name_id_format and requested_format != self.name_id_format:
            return False
        # No SessionIndex = every session of the principal; otherwise ours must be one of them.
        return not (indexes and self.session_index and self.session_index not in indexes)


def login_state(provider: Any) -> dict[str, str] | None:
    """What :class:`CharterSAMLProvider` read from the assertion, for ``sociallogin.state``."""
    read = {f.name: str(getattr(provider, f.name, "") or "") for f in fields(SamlSession) if f.name != "provider_id"}
    session = SamlSession.from_dict({**read, "provider_id": str(provider.app.provider_id)})
    return session.as_dict() if session is not None else None


def remember_saml_session(request: HttpRequest, user: Any, *, signal_kwargs: dict[str, Any] | None) -> None:
    """For ``AccountAdapter.post_login``: keep the SAML session of a SAML sign-in (and forget any other)."""
    sociallogin = (signal_kwargs or {}).get("sociallogin")
    state = getattr(sociallogin, "state", None) or {}
    session = SamlSession.from_dict(state.get(STATE_KEY)) if isinstance(state, dict) else None
    if session is None or user.pk is None:
        request.session.pop(SESSION_KEY, None)
        return
    request.session[SESSION_KEY] = {**session.as_dict(), "user": str(user.pk)}


def current_saml_session(request: HttpRequest) -> SamlSession | None:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or data.get("user") != str(user.pk):
        return None
    return SamlSession.from_dict(data)


def _slo_connection(provider_id: str) -> SsoConnection | None:
    connection = selectors.connection_by_provider_id(provider_id)
    if connection is None or not connection.is_saml or not connection.is_enabled or not connection.saml_idp_slo_url:
        return None
    return connection


# -- SP-initiated ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _PendingLogout:
    connection: SsoConnection
    user_pk: Any
    request_id: str


def sp_logout_redirect_url(request: HttpRequest) -> str | None:
    """For ``AccountAdapter.get_logout_redirect_url``, which allauth's LogoutView calls while the user is
    still signed in: the IdP URL with our LogoutRequest when the session came through a SAML connection
    with a single logout URL, else None (logout stays local)."""
    session = current_saml_session(request)
    if session is None:
        return None
    connection = _slo_connection(session.provider_id)
    if connection is None:
        return None
    try:
        provider = get_social_adapter(request).get_provider(request, provider=connection.provider_id)
        auth = _auth_for(request, provider)
        url = auth.logout(
            return_to=resolve_url(settings.LOGOUT_REDIRECT_URL),
            name_id=session.name_id,
            # python3-saml puts the SessionIndex into the XML text as it is.
            session_index=escape(session.session_index) or None,
            nq=session.name_id_nq or None,
            name_id_format=session.name_id_format or None,
            spnq=session.name_id_spnq or None,
        )
    except (SocialApp.DoesNotExist, OneLogin_Saml2_Error) as exc:
        logger.warning("SAML single logout through %s not possible: %s", connection.provider_id, exc)
        return None
    user: Any = request.user
    setattr(request, _REQUEST_ATTR, _PendingLogout(connection, user.pk, str(auth.get_last_request_id())))
    return str(url)


def sp_logout_finished(request: HttpRequest, user: Any) -> None:
    """For ``AccountAdapter.logout``, once the session has ended: when a LogoutRequest was prepared for this
    logout, audit it and remember its ID (in the new session) for the IdP's LogoutResponse."""
    pending: _PendingLogout | None = getattr(request, _REQUEST_ATTR, None)
    if pending is None:
        return
    delattr(request, _REQUEST_ATTR)
    if user is None or getattr(user, "pk", None) != pending.user_pk:
        return
    services.sso_logout(
        organization=pending.connection.organization, actor=user, connection=pending.connection, initiated_by="sp"
    )
    request.session[PENDING_KEY] = {"provider_id": pending.connection.provider_id, "request_id": pending.request_id}


# -- the single logout service (our SLS endpoint) --------------------------------------------------
def _auth_for(request: HttpRequest, provider: Any, *, want_messages_signed: bool = False) -> OneLogin_Saml2_Auth:
    """python3-saml for this connection; ``want_messages_signed`` for the IdP's LogoutRequests only."""
    config = build_saml_config(request, provider.app.settings, provider.app.client_id)
    config["security"]["wantMessagesSigned"] = want_messages_signed
    data = prepare_django_request(request)
    # Check the HTTP-Redirect signature over the query string as sent: IdPs differ in URL-encoding.
    data["query_string"] = request.META.get("QUERY_STRING", "")
    data["validate_signature_from_qs"] = True
    return OneLogin_Saml2_Auth(data, config)


def _failed(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "sso/logout_failed.html", {"message": message}, status=400)


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class SamlSingleLogoutView(View):
    """``/accounts/saml/<provider_id>/sls/`` (allauth's URL name ``saml_sls``): the IdP's LogoutRequests
    and LogoutResponses, HTTP-Redirect binding."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, organization_slug: str) -> HttpResponse:
        app = get_app_or_404(request, organization_slug)
        connection = _slo_connection(app.provider_id or "")
        if connection is None:
            raise Http404
        provider = app.get_provider(request)
        if "SAMLRequest" in request.GET:
            return self._logout_request(request, provider, connection)
        if "SAMLResponse" in request.GET:
            return self._logout_response(request, provider, connection)
        return _failed(request, _("This address expects a SAML logout message from the identity provider."))

    def _logout_request(self, request: HttpRequest, provider: Any, connection: SsoConnection) -> HttpResponse:
        auth = _auth_for(request, provider, want_messages_signed=True)
        redirect_to = None
        try:
            # Validate and build the LogoutResponse first; whether this session ends is decided below.
            redirect_to = auth.process_slo(keep_local_session=True)
        except OneLogin_Saml2_Error as exc:
            logger.warning("SAML LogoutRequest for %s refused: %s", connection.provider_id, exc)
            return _failed(request, _refused_request_message())
        if auth.get_errors() or not redirect_to:
            logger.warning(
                "SAML LogoutRequest for %s refused: %s (%s)",
                connection.provider_id,
                ", ".join(auth.get_errors()),
                auth.get_last_error_reason(),
            )
            return _failed(request, _refused_request_message())
        session = current_saml_session(request)
        if (
            session is not None
            and session.provider_id == connection.provider_id
            and session.named_by(auth.get_last_request_xml())
        ):
            user: Any = request.user
            get_account_adapter(request).logout(request)
            services.sso_logout(
                organization=connection.organization, actor=user, connection=connection, initiated_by="idp"
            )
        else:
            logger.info("SAML LogoutRequest for %s names no session of this browser", connection.provider_id)
        return HttpResponseRedirect(redirect_to)

    def _logout_response(self, request: HttpRequest, provider: Any, connection: SsoConnection) -> HttpResponse:
        pending = request.session.pop(PENDING_KEY, None)
        request_id = None
        if isinstance(pending, dict) and pending.get("provider_id") == connection.provider_id:
            request_id = str(pending.get("request_id") or "") or None
        auth = _auth_for(request, provider, want_messages_signed=False)
        error = ""
        try:
            auth.process_slo(keep_local_session=True, request_id=request_id)  # our session ended already
        except OneLogin_Saml2_Error as exc:
            error = str(exc)
        if error or auth.get_errors():
            logger.warning(
                "SAML LogoutResponse for %s refused: %s %s (%s)",
                connection.provider_id,
                error,
                ", ".join(auth.get_errors()),
                auth.get_last_error_reason(),
            )
            return _failed(
                request,
                _(
                    "You are signed out of Charter, but the identity provider did not confirm that it ended its "
                    "own session. Close the browser to be sure."
                ),
            )
        return HttpResponseRedirect(get_account_adapter(request).get_logout_redirect_url(request))


def _refused_request_message() -> str:
    return _(
        "The sign-out request from your identity provider could not be verified, so it was ignored. "
        "Sign out of Charter yourself if you wanted to."
    )
