"""A real SAML 2.0 identity provider (pysaml2) on loopback, for Charter's SSO tests.

``SamlIdp`` wraps a pysaml2 ``Server`` (the IdP side of the protocol, signing with xmlsec1) and serves it
over HTTP on 127.0.0.1 with a port the OS picks:

* ``GET  /metadata``  – the IdP's signed-with-nothing metadata (entity id, SSO endpoints, signing cert);
* ``GET  /sso``       – HTTP-Redirect binding: parses the SP's AuthnRequest and shows a login form
  (carrying the request's detached signature, ``SigAlg`` + ``Signature``, when it has one);
* ``POST /sso/login`` – "signs in" the account given as JSON in the form and answers with the
  HTTP-POST binding form (SAMLResponse + RelayState) aimed at the SP's assertion consumer service.

* ``GET  /slo``       – single logout (only with ``SamlIdp(single_logout=True)``, which also puts the
  endpoint into the IdP metadata): a LogoutRequest from the SP is checked by pysaml2 and answered with a
  LogoutResponse redirected to the SP's single logout service; a LogoutResponse from the SP (the answer
  to an IdP-initiated logout) is parsed and acknowledged with 200.

The test plays the browser: it follows the SP's redirect to ``/sso``, posts the login form and then
posts the returned SAMLResponse to the SP. ``Fault`` values make one response deliberately bad — unsigned,
tampered after signing, signed with SHA-1, addressed to another audience, or signed by another key — so
the SP's checks are exercised with what a broken or hostile IdP would really send. ``idp_initiated``
builds an unsolicited response (no AuthnRequest).

``SamlUser.name_id_format`` picks the NameID format of the response (persistent unless told otherwise,
e.g. transient). ``SamlIdp(want_authn_requests_signed=True)`` makes pysaml2 refuse AuthnRequests that are
not signed with a key from the SP's metadata (HTTP-Redirect signature, checked by pysaml2 itself) and
says so in the IdP metadata; ``name_id_formats`` sets the formats the IdP metadata advertises.

Single logout helpers: ``logout_request_url`` builds an IdP-initiated LogoutRequest (HTTP-Redirect, signed by
the IdP's key, another key, or not at all) aimed at the SP's single logout service from its metadata;
``parse_logout_request`` reads the SP's LogoutRequest from the redirect URL (pysaml2 verifies its signature
against the SP metadata when the IdP wants signed requests) and ``logout_response_url`` answers it;
``parse_logout_response`` reads the SP's answer to an IdP-initiated LogoutRequest. ``session_indexes`` holds
the SessionIndex of the last assertion issued for each NameID.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import html
import json
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.samlp import STATUS_SUCCESS, AuthnRequest, LogoutRequest
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

XMLSEC_BINARY = "/usr/bin/xmlsec1"

# Attribute names the IdP sends (URIs, as Entra ID / ADFS / Okta do).
ATTR_EMAIL = "urn:oid:0.9.2342.19200300.100.1.3"
ATTR_GIVEN_NAME = "urn:oid:2.5.4.42"
ATTR_SURNAME = "urn:oid:2.5.4.4"
ATTR_GROUPS = "http://schemas.xmlsoap.org/claims/Group"


class Fault(enum.Enum):
    NONE = "none"
    UNSIGNED = "unsigned"  # neither the response nor the assertion is signed
    RESPONSE_SIGNED_ONLY = "response_signed_only"  # only the outer Response is signed
    TAMPERED = "tampered"  # signed, then an attribute value changed
    SHA1 = "sha1"  # signed with rsa-sha1 / sha1 digests
    WRONG_AUDIENCE = "wrong_audience"  # signed correctly, but for another service provider
    FOREIGN_KEY = "foreign_key"  # signed by a key that is not the configured certificate


@dataclass
class KeyPair:
    key_pem: bytes
    cert_pem: bytes

    @property
    def cert_base64(self) -> str:
        """The certificate body as IdP metadata and SP settings carry it (no PEM armour)."""
        lines = self.cert_pem.decode().strip().splitlines()
        return "".join(line for line in lines if not line.startswith("-----"))


def generate_key_pair(common_name: str = "Charter test IdP") -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return KeyPair(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
    )


@dataclass
class SamlUser:
    name_id: str
    email: str = ""
    given_name: str = ""
    surname: str = ""
    groups: list[str] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)
    name_id_format: str = NAMEID_FORMAT_PERSISTENT

    def identity(self) -> dict[str, list[str]]:
        ident: dict[str, list[str]] = {}
        if self.email:
            ident[ATTR_EMAIL] = [self.email]
        if self.given_name:
            ident[ATTR_GIVEN_NAME] = [self.given_name]
        if self.surname:
            ident[ATTR_SURNAME] = [self.surname]
        if self.groups:
            ident[ATTR_GROUPS] = list(self.groups)
        ident.update(self.extra)
        return ident


@dataclass
class PostForm:
    """An HTTP-POST binding form as the browser would submit it."""

    action: str
    saml_response: str
    relay_state: str | None

    def data(self) -> dict[str, str]:
        data = {"SAMLResponse": self.saml_response}
        if self.relay_state is not None:
            data["RelayState"] = self.relay_state
        return data


class SamlIdp:
    """A pysaml2 IdP served over HTTP on loopback."""

    def __init__(
        self,
        *,
        entity_id: str | None = None,
        keys: KeyPair | None = None,
        want_authn_requests_signed: bool = False,
        name_id_formats: list[str] | None = None,
        single_logout: bool = False,
    ) -> None:
        self.want_authn_requests_signed = want_authn_requests_signed
        self.single_logout = single_logout
        self.name_id_formats = list(name_id_formats or [NAMEID_FORMAT_PERSISTENT])
        self.keys = keys or generate_key_pair()
        self.foreign_keys = generate_key_pair("Somebody else")
        self._tmp = tempfile.TemporaryDirectory(prefix="charter-saml-idp-")
        self._dir = Path(self._tmp.name)
        self._write_keys("idp", self.keys)
        self._write_keys("foreign", self.foreign_keys)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.entity_id = entity_id or f"{self.base_url}/metadata"
        self.sso_url = f"{self.base_url}/sso"
        self.slo_url = f"{self.base_url}/slo"
        self.metadata_url = f"{self.base_url}/metadata"
        self._sp_metadata: dict[str, str] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.served_requests: list[str] = []
        self.session_indexes: dict[str, str] = {}  # NameID → SessionIndex of the last assertion issued
        self.logout_responses_received: list[Any] = []  # parsed LogoutResponses that reached /slo

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> SamlIdp:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="saml-idp", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()
        self._tmp.cleanup()

    def _write_keys(self, prefix: str, pair: KeyPair) -> None:
        (self._dir / f"{prefix}.key").write_bytes(pair.key_pem)
        (self._dir / f"{prefix}.crt").write_bytes(pair.cert_pem)

    # -- configuration ---------------------------------------------------------------------------
    def add_service_provider(self, metadata_xml: str) -> str:
        """Trust an SP (its metadata as served by Charter); returns its entity id."""
        match = re.search(r'entityID="([^"]+)"', metadata_xml)
        if not match:
            raise ValueError("SP metadata without entityID")
        with self._lock:
            self._sp_metadata[match.group(1)] = metadata_xml
        return match.group(1)

    def _server(self, *, key_prefix: str = "idp", extra_sp: tuple[str, str] | None = None) -> Server:
        metadata = list(self._sp_metadata.values())
        if extra_sp:
            metadata.append(extra_sp[1])
        endpoints: dict[str, list[tuple[str, str]]] = {
            "single_sign_on_service": [
                (self.sso_url, BINDING_HTTP_REDIRECT),
                (self.sso_url, BINDING_HTTP_POST),
            ]
        }
        if self.single_logout:
            endpoints["single_logout_service"] = [(self.slo_url, BINDING_HTTP_REDIRECT)]
        config = {
            "entityid": self.entity_id,
            "xmlsec_binary": XMLSEC_BINARY,
            "key_file": str(self._dir / f"{key_prefix}.key"),
            "cert_file": str(self._dir / f"{key_prefix}.crt"),
            "allow_unknown_attributes": True,
            "service": {
                "idp": {
                    "name": "Charter test IdP",
                    "endpoints": endpoints,
                    "name_id_format": list(self.name_id_formats),
                    "want_authn_requests_signed": self.want_authn_requests_signed,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 15},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "metadata": {"inline": metadata} if metadata else {},
        }
        idp_config = IdPConfig()
        idp_config.load(config)
        return Server(config=idp_config)

    def metadata_xml(self) -> str:
        server = self._server()
        metadata = create_metadata_string(None, config=server.config, sign=False)
        return metadata.decode() if isinstance(metadata, bytes) else str(metadata)

    # -- protocol --------------------------------------------------------------------------------
    def parse_authn_request(
        self,
        saml_request: str,
        *,
        relay_state: str | None = None,
        sigalg: str | None = None,
        signature: str | None = None,
    ) -> tuple[str, str, str]:
        """HTTP-Redirect binding AuthnRequest → (request id, SP entity id, ACS URL)."""
        message = self.authn_request(saml_request, relay_state=relay_state, sigalg=sigalg, signature=signature)
        return message.id, message.issuer.text, message.assertion_consumer_service_url

    def authn_request(
        self,
        saml_request: str,
        *,
        relay_state: str | None = None,
        sigalg: str | None = None,
        signature: str | None = None,
    ) -> AuthnRequest:
        """The parsed AuthnRequest. When the IdP wants signed requests, pysaml2 raises unless ``signature``
        (over SAMLRequest, RelayState and SigAlg) verifies with a signing certificate of the SP's metadata."""
        server = self._server()
        parsed = server.parse_authn_request(
            saml_request, BINDING_HTTP_REDIRECT, relay_state=relay_state, sigalg=sigalg, signature=signature
        )
        message: AuthnRequest = parsed.message
        return message

    def build_response(
        self,
        user: SamlUser,
        *,
        sp_entity_id: str,
        acs_url: str,
        in_response_to: str | None,
        fault: Fault = Fault.NONE,
    ) -> str:
        """A base64 SAMLResponse for `user`, as the HTTP-POST binding carries it."""
        audience = sp_entity_id
        extra_sp = None
        if fault is Fault.WRONG_AUDIENCE:
            audience = "https://another-service.example/saml/metadata"
            extra_sp = (audience, self._sp_metadata[sp_entity_id].replace(sp_entity_id, audience))
        server = self._server(key_prefix="foreign" if fault is Fault.FOREIGN_KEY else "idp", extra_sp=extra_sp)
        sign_alg, digest_alg = SIG_RSA_SHA256, DIGEST_SHA256
        if fault is Fault.SHA1:
            sign_alg, digest_alg = SIG_RSA_SHA1, DIGEST_SHA1
        sign_assertion = fault not in (Fault.UNSIGNED, Fault.RESPONSE_SIGNED_ONLY)
        sign_response = fault is Fault.RESPONSE_SIGNED_ONLY
        response = server.create_authn_response(
            identity=user.identity(),
            in_response_to=in_response_to,
            destination=acs_url,
            sp_entity_id=audience,
            name_id=NameID(format=user.name_id_format, text=user.name_id),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
            sign_assertion=sign_assertion,
            sign_response=sign_response,
            sign_alg=sign_alg,
            digest_alg=digest_alg,
        )
        xml = str(response)
        session_index = re.search(r'SessionIndex="([^"]+)"', xml)
        if session_index:
            with self._lock:
                self.session_indexes[user.name_id] = session_index.group(1)
        if fault is Fault.TAMPERED:
            # After signing: promote the user by rewriting an attribute value (and the NameID).
            tampered = xml.replace(f">{user.name_id}<", f">{user.name_id}-tampered<")
            if tampered == xml:
                raise AssertionError("nothing to tamper with")
            xml = tampered
        return base64.b64encode(xml.encode()).decode()

    def idp_initiated(
        self, user: SamlUser, *, sp_entity_id: str, acs_url: str, relay_state: str | None = None
    ) -> PostForm:
        return PostForm(
            action=acs_url,
            saml_response=self.build_response(user, sp_entity_id=sp_entity_id, acs_url=acs_url, in_response_to=None),
            relay_state=relay_state,
        )

    # -- single logout ---------------------------------------------------------------------------
    def sp_single_logout_url(self, sp_entity_id: str) -> str:
        """The SP's single logout service (HTTP-Redirect), as its metadata says."""
        endpoints = self._server().metadata.single_logout_service(sp_entity_id, BINDING_HTTP_REDIRECT, "spsso")
        if not endpoints:
            raise ValueError(f"{sp_entity_id} has no HTTP-Redirect SingleLogoutService in its metadata")
        return str(endpoints[0]["location"])

    def logout_request_url(
        self,
        *,
        sp_entity_id: str,
        name_id: str,
        name_id_format: str = NAMEID_FORMAT_PERSISTENT,
        session_indexes: list[str] | None = None,
        signed_by: str = "idp",
        sigalg: str = SIG_RSA_SHA256,
        relay_state: str = "",
    ) -> tuple[str, str]:
        """An IdP-initiated LogoutRequest for `name_id`, HTTP-Redirect binding, aimed at the SP's single logout
        service: (request id, URL). ``signed_by``: "idp" (our key), "foreign" (a key the SP does not know)
        or "" (unsigned)."""
        server = self._server(key_prefix=signed_by or "idp")
        destination = self.sp_single_logout_url(sp_entity_id)
        request_id, request = server.create_logout_request(
            destination,
            sp_entity_id,
            name_id=NameID(format=name_id_format, text=name_id),
            session_indexes=session_indexes,
            sign=False,
        )
        info = server.apply_binding(
            BINDING_HTTP_REDIRECT, str(request), destination, relay_state, sign=bool(signed_by), sigalg=sigalg
        )
        return str(request_id), _location(info)

    def parse_logout_request(self, url: str) -> LogoutRequest:
        """The SP's LogoutRequest from the URL it redirected the browser to. When the IdP wants signed requests,
        pysaml2 raises unless the HTTP-Redirect signature verifies with a certificate of the SP's metadata."""
        query = _query(url)
        parsed = self._server().parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        message: LogoutRequest = parsed.message
        return message

    def logout_response_url(self, request_url: str, *, status: str = STATUS_SUCCESS, signed_by: str = "idp") -> str:
        """Answer the SP's LogoutRequest (given as the URL it sent the browser to) with a LogoutResponse,
        HTTP-Redirect binding, aimed at the SP's single logout service; the RelayState comes back."""
        query = _query(request_url)
        request = self.parse_logout_request(request_url)
        server = self._server(key_prefix=signed_by or "idp")
        destination = self.sp_single_logout_url(request.issuer.text)
        status_element = None
        if status != STATUS_SUCCESS:
            from saml2.samlp import Status, StatusCode

            status_element = Status(status_code=StatusCode(value=status))
        response = server.create_logout_response(
            request, bindings=[BINDING_HTTP_REDIRECT], status=status_element, sign=False
        )
        info = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination,
            query.get("RelayState", ""),
            response=True,
            sign=bool(signed_by),
            sigalg=SIG_RSA_SHA256,
        )
        return _location(info)

    def parse_logout_response(self, url: str) -> Any:
        """The SP's LogoutResponse (to an IdP-initiated LogoutRequest) from the URL it redirected the browser
        to: pysaml2's LogoutResponse (``.response.in_response_to``, ``.response.status``)."""
        query = _query(url)
        return self._server().parse_logout_request_response(query["SAMLResponse"], BINDING_HTTP_REDIRECT)

    def handle_slo(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """``GET /slo``: (status, headers, body)."""
        if "SAMLRequest" in query:
            url = f"{self.slo_url}?{urlencode(query)}"
            return 302, {"Location": self.logout_response_url(url)}, ""
        if "SAMLResponse" in query:
            response = self.parse_logout_response(f"{self.slo_url}?{urlencode(query)}")
            with self._lock:
                self.logout_responses_received.append(response)
            return 200, {}, "signed out"
        return 400, {}, "SAMLRequest or SAMLResponse missing"

    # -- the browser's view ----------------------------------------------------------------------
    def login(self, redirect_url: str, user: SamlUser, *, fault: Fault = Fault.NONE) -> PostForm:
        """Follow the SP's redirect to our SSO URL and sign `user` in over HTTP; return the POST form
        the browser would submit to the SP."""
        import requests

        response = requests.get(redirect_url, timeout=5)
        response.raise_for_status()
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.text))
        fields = {k: html.unescape(v) for k, v in fields.items()}
        fields["user"] = json.dumps(user.__dict__)
        fields["fault"] = fault.value
        response = requests.post(f"{self.base_url}/sso/login", data=fields, timeout=5)
        response.raise_for_status()
        return parse_post_form(response.text)

    def handle_login_form(self, form: dict[str, str]) -> str:
        request_id, sp_entity_id, acs_url = self.parse_authn_request(
            form["SAMLRequest"],
            relay_state=form.get("RelayState"),
            sigalg=form.get("SigAlg"),
            signature=form.get("Signature"),
        )
        if sp_entity_id not in self._sp_metadata:
            raise ValueError(f"unknown service provider {sp_entity_id}")
        user = SamlUser(**json.loads(form["user"]))
        saml_response = self.build_response(
            user,
            sp_entity_id=sp_entity_id,
            acs_url=acs_url,
            in_response_to=request_id,
            fault=Fault(form.get("fault", "none")),
        )
        return render_post_form(PostForm(acs_url, saml_response, form.get("RelayState") or None))


def render_post_form(form: PostForm) -> str:
    relay = (
        f'<input type="hidden" name="RelayState" value="{html.escape(form.relay_state)}">'
        if form.relay_state is not None
        else ""
    )
    return (
        f'<!doctype html><form method="post" action="{html.escape(form.action)}">'
        f'<input type="hidden" name="SAMLResponse" value="{html.escape(form.saml_response)}">{relay}'
        "<noscript><button>Continue</button></noscript></form>"
    )


def parse_post_form(page: str) -> PostForm:
    action = re.search(r'<form method="post" action="([^"]+)"', page)
    response = re.search(r'name="SAMLResponse" value="([^"]+)"', page)
    relay = re.search(r'name="RelayState" value="([^"]*)"', page)
    if not action or not response:
        raise ValueError(f"not a SAML POST form: {page[:300]}")
    return PostForm(
        action=html.unescape(action.group(1)),
        saml_response=html.unescape(response.group(1)),
        relay_state=html.unescape(relay.group(1)) if relay else None,
    )


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query, keep_blank_values=True).items()}


def _location(info: dict[str, Any]) -> str:
    return str(dict(info["headers"])["Location"])


def _handler_for(idp: SamlIdp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            idp.served_requests.append(self.path)

        def _send(self, status: int, body: str, content_type: str = "text/html; charset=utf-8") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/metadata":
                self._send(200, idp.metadata_xml(), "application/samlmetadata+xml")
            elif url.path == "/sso":
                # Blank values kept: an empty RelayState is part of what a request signature covers.
                query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                if "SAMLRequest" not in query:
                    self._send(400, "SAMLRequest missing")
                    return
                hidden = "".join(
                    f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                    for k, v in query.items()
                    if k in ("SAMLRequest", "RelayState", "SigAlg", "Signature")
                )
                self._send(200, f'<!doctype html><form method="post" action="/sso/login">{hidden}</form>')
            elif url.path == "/slo" and idp.single_logout:
                query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                try:
                    status, headers, body = idp.handle_slo(query)
                except Exception as exc:  # report to the test instead of hanging up
                    self._send(400, f"IdP error: {exc}")
                    return
                data = body.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            else:
                self._send(404, "not found")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > 256 * 1024:
                self._send(413, "too large")
                return
            body = self.rfile.read(length).decode()
            form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
            if urlparse(self.path).path != "/sso/login":
                self._send(404, "not found")
                return
            try:
                self._send(200, idp.handle_login_form(form))
            except Exception as exc:  # report to the test instead of hanging up
                self._send(400, f"IdP error: {exc}")

    return Handler


@contextmanager
def running_idp(**kwargs: Any) -> Iterator[SamlIdp]:
    idp = SamlIdp(**kwargs).start()
    try:
        yield idp
    finally:
        idp.stop()
