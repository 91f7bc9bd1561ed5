"""Generic isolation and role tests (NetBox-style). Every tenant route and every OrganizationOwned
model must be covered by a subclass of one of these; tests/test_coverage_guard.py enforces it.

API resources — subclass :class:`ApiCrudIsolationCase`::

    class TestUseCaseApi(ApiCrudIsolationCase):
        basename = "usecases-api:usecase"          # router basename, with the app's namespace
        model = UseCase
        write_roles = CONTRIBUTORS                  # roles allowed to create/update/delete
        actions = ("list", "retrieve", "create", "update", "delete")

        def make_object(self, organization, members):   # inside org_scope(organization)
            return UseCaseFactory(organization=organization, owner=members["contributor"])

        def create_data(self, organization, members):    # a valid POST body
            return {"title": "New", ...}

        def update_data(self, organization, members, obj):   # a valid PATCH body
            return {"title": "Changed"}

        # bodies that point at another organization's objects must answer 400:
        def foreign_fk_data(self, organization, members, other_org, other_members):
            return [{"owner_membership": <id in other_org>}, ...]

Each case checks: anonymous → 401/403; non-member (even of another org) → 404; another
organization's object → 404 and absent from lists; read roles → 200; roles outside
``write_roles`` → 403; allowed writes → 2xx and an audit event; an ``organization`` field in the
body is ignored; a foreign FK in the body → 400; a list's query count does not grow with rows.

Pages — subclass :class:`PageIsolationCase`::

    class TestUseCasePages(PageIsolationCase):
        pages = [Page("usecases:list"), Page("usecases:detail", obj=True),
                 Page("usecases:edit", obj=True, read_roles=CONTRIBUTORS, post_roles=CONTRIBUTORS)]

        def make_object(self, organization, members): ...

Each page checks: anonymous → redirect to login; a member of another organization → 404 (also
for another organization's object under one's own organization's URL); read roles → 200 (or a
redirect for POST-only pages); other roles → 403; ``post_roles`` likewise on POST.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.audit.models import AuditEvent
from apps.core.permissions import ALL_ROLES, CONTRIBUTORS
from apps.core.tenancy import org_scope

ROLES = ("admin", "contributor", "approver", "auditor", "viewer")


def audit_count(organization: Any) -> int:
    with scopes_disabled():
        return AuditEvent.objects.filter(organization=organization).count()


class ApiCrudIsolationCase:
    basename: ClassVar[str] = ""
    model: ClassVar[Any] = None
    read_roles: ClassVar[tuple[str, ...]] = ALL_ROLES
    write_roles: ClassVar[tuple[str, ...]] = CONTRIBUTORS
    actions: ClassVar[tuple[str, ...]] = ("list", "retrieve", "create", "update", "delete")
    lookup_kwarg: ClassVar[str] = "pk"
    audited: ClassVar[bool] = True
    list_query_budget: ClassVar[int] = 12

    _ACTION_TESTS: ClassVar[dict[str, tuple[str, ...]]] = {
        "create": ("test_create", "test_create_rejects_bad_and_foreign_input"),
        "update": ("test_update",),
        "delete": ("test_delete",),
        "list": ("test_list_query_count_is_constant",),
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # a resource without an action gets no test for it (rather than a skipped one)
        for action, tests in cls._ACTION_TESTS.items():
            if action not in cls.actions:
                for name in tests:
                    setattr(cls, name, None)

    # -- hooks ---------------------------------------------------------------------------
    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        raise NotImplementedError

    def create_data(self, organization: Any, members: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def update_data(self, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def foreign_fk_data(
        self, organization: Any, members: dict[str, Any], other_org: Any, other_members: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return []

    def lookup_value(self, obj: Any) -> Any:
        return getattr(obj, self.lookup_kwarg if self.lookup_kwarg != "pk" else "pk")

    # -- helpers -------------------------------------------------------------------------
    def list_url(self, org: Any) -> str:
        return reverse(f"{self.basename}-list", kwargs={"org_slug": org.slug})

    def detail_url(self, org: Any, obj: Any) -> str:
        return reverse(
            f"{self.basename}-detail", kwargs={"org_slug": org.slug, self.lookup_kwarg: self.lookup_value(obj)}
        )

    def _make(self, org: Any, members: dict[str, Any]) -> Any:
        with org_scope(org):
            return self.make_object(org, members)

    @staticmethod
    def _ids(response: Any) -> set[str]:
        body = response.json()
        rows = body["results"] if isinstance(body, dict) and "results" in body else body
        return {str(r.get("id")) for r in rows}

    def _denied_roles(self, allowed: tuple[str, ...]) -> list[str]:
        return [r for r in ROLES if r not in allowed]

    # -- tests ---------------------------------------------------------------------------
    def test_anonymous_is_refused(self, org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
        obj = self._make(org_a, members_a)
        client = api_client_for(None)
        if "list" in self.actions:
            assert client.get(self.list_url(org_a)).status_code in (401, 403)
        if "retrieve" in self.actions:
            assert client.get(self.detail_url(org_a, obj)).status_code in (401, 403)
        if "create" in self.actions:
            r = client.post(self.list_url(org_a), self.create_data(org_a, members_a), format="json")
            assert r.status_code in (401, 403)

    def test_non_member_gets_404(
        self, org_a: Any, members_a: Any, org_b: Any, members_b: Any, api_client_for: Callable[[Any], Any]
    ) -> None:
        obj = self._make(org_a, members_a)
        for user in (members_a["outsider"], members_b["admin"]):
            client = api_client_for(user)
            if "list" in self.actions:
                assert client.get(self.list_url(org_a)).status_code == 404
            if "retrieve" in self.actions:
                assert client.get(self.detail_url(org_a, obj)).status_code == 404
            if "create" in self.actions:
                before = audit_count(org_a)
                r = client.post(self.list_url(org_a), self.create_data(org_a, members_a), format="json")
                assert r.status_code == 404
                assert audit_count(org_a) == before

    def test_other_orgs_objects_are_invisible(
        self, org_a: Any, members_a: Any, org_b: Any, members_b: Any, api_client_for: Callable[[Any], Any]
    ) -> None:
        mine = self._make(org_a, members_a)
        theirs = self._make(org_b, members_b)
        role = self.read_roles[0]
        client = api_client_for(members_a[role])
        if "list" in self.actions:
            r = client.get(self.list_url(org_a))
            assert r.status_code == 200, r.content
            ids = self._ids(r)
            assert str(mine.pk) in ids
            assert str(theirs.pk) not in ids
        # another organization's object under my organization's URL
        if "retrieve" in self.actions:
            assert client.get(self.detail_url(org_a, theirs)).status_code == 404
            assert client.get(self.detail_url(org_a, mine)).status_code == 200
        if "update" in self.actions:
            r = client.patch(self.detail_url(org_a, theirs), self.update_data(org_a, members_a, theirs), format="json")
            assert r.status_code in (403, 404)
        if "delete" in self.actions:
            assert client.delete(self.detail_url(org_a, theirs)).status_code in (403, 404)
        with scopes_disabled():
            assert type(theirs).objects.filter(pk=theirs.pk).exists()

    def test_read_roles(self, org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
        obj = self._make(org_a, members_a)
        for role in ROLES:
            client = api_client_for(members_a[role])
            expected = 200 if role in self.read_roles else 403
            if "list" in self.actions:
                assert client.get(self.list_url(org_a)).status_code == expected, role
            if "retrieve" in self.actions:
                assert client.get(self.detail_url(org_a, obj)).status_code == expected, role

    def test_create(self, org_a: Any, members_a: Any, org_b: Any, api_client_for: Callable[[Any], Any]) -> None:
        for role in self._denied_roles(self.write_roles):
            before = audit_count(org_a)
            r = api_client_for(members_a[role]).post(
                self.list_url(org_a), self.create_data(org_a, members_a), format="json"
            )
            assert r.status_code == 403, (role, r.content)
            assert audit_count(org_a) == before
        client = api_client_for(members_a[self.write_roles[0]])
        before = audit_count(org_a)
        body = {**self.create_data(org_a, members_a), "organization": org_b.pk, "organization_id": org_b.pk}
        r = client.post(self.list_url(org_a), body, format="json")
        assert r.status_code == 201, r.content
        created_id = r.json()["id"]
        with scopes_disabled():
            created = self.model.objects.get(pk=created_id)
        assert created.organization_id == org_a.pk  # the organization in the body is ignored
        if self.audited:
            assert audit_count(org_a) > before

    def test_create_rejects_bad_and_foreign_input(
        self, org_a: Any, members_a: Any, org_b: Any, members_b: Any, api_client_for: Callable[[Any], Any]
    ) -> None:
        client = api_client_for(members_a[self.write_roles[0]])
        with scopes_disabled():
            count = self.model.objects.count()
        r = client.post(self.list_url(org_a), "{not json", content_type="application/json")
        assert r.status_code == 400
        assert r.json()["error"]["status"] == 400
        for patch in self.foreign_fk_data(org_a, members_a, org_b, members_b):
            body = {**self.create_data(org_a, members_a), **patch}
            r = client.post(self.list_url(org_a), body, format="json")
            assert r.status_code == 400, (patch, r.content)
            assert set(patch) & set(r.json()["error"].get("fields", {})), r.content
        with scopes_disabled():
            assert self.model.objects.count() == count

    def test_update(
        self, org_a: Any, members_a: Any, org_b: Any, members_b: Any, api_client_for: Callable[[Any], Any]
    ) -> None:
        obj = self._make(org_a, members_a)
        for role in self._denied_roles(self.write_roles):
            r = api_client_for(members_a[role]).patch(
                self.detail_url(org_a, obj), self.update_data(org_a, members_a, obj), format="json"
            )
            assert r.status_code == 403, (role, r.content)
        client = api_client_for(members_a[self.write_roles[0]])
        before = audit_count(org_a)
        body = {**self.update_data(org_a, members_a, obj), "organization": org_b.pk}
        r = client.patch(self.detail_url(org_a, obj), body, format="json")
        assert r.status_code == 200, r.content
        with scopes_disabled():
            obj.refresh_from_db()
        assert obj.organization_id == org_a.pk
        if self.audited:
            assert audit_count(org_a) > before
        for patch in self.foreign_fk_data(org_a, members_a, org_b, members_b):
            r = client.patch(self.detail_url(org_a, obj), patch, format="json")
            assert r.status_code == 400, (patch, r.content)

    def test_delete(self, org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
        obj = self._make(org_a, members_a)
        for role in self._denied_roles(self.write_roles):
            assert api_client_for(members_a[role]).delete(self.detail_url(org_a, obj)).status_code == 403, role
        before = audit_count(org_a)
        r = api_client_for(members_a[self.write_roles[0]]).delete(self.detail_url(org_a, obj))
        assert r.status_code in (200, 204), r.content
        if self.audited:
            assert audit_count(org_a) > before

    def test_list_query_count_is_constant(
        self, org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]
    ) -> None:
        client = api_client_for(members_a[self.read_roles[0]])
        self._make(org_a, members_a)
        with CaptureQueriesContext(connection) as few:
            assert client.get(self.list_url(org_a)).status_code == 200
        for _ in range(4):
            self._make(org_a, members_a)
        with CaptureQueriesContext(connection) as more:
            assert client.get(self.list_url(org_a)).status_code == 200
        assert len(more) <= len(few), "list queries grow with rows (N+1)"
        assert len(more) <= self.list_query_budget


@dataclass(frozen=True)
class Page:
    url_name: str
    obj: bool = False
    read_roles: tuple[str, ...] = ALL_ROLES
    post_roles: tuple[str, ...] = ()
    get: bool = True
    extra_kwargs: dict[str, Any] = field(default_factory=dict)


class PageIsolationCase:
    pages: ClassVar[list[Page]] = []
    lookup_kwarg: ClassVar[str] = "pk"

    def make_object(self, organization: Any, members: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post_data(self, page: Page, organization: Any, members: dict[str, Any], obj: Any) -> dict[str, Any]:
        return {}

    def url(self, page: Page, org: Any, obj: Any = None) -> str:
        kwargs: dict[str, Any] = {"org_slug": org.slug, **page.extra_kwargs}
        if page.obj:
            kwargs[self.lookup_kwarg] = getattr(obj, "pk" if self.lookup_kwarg == "pk" else self.lookup_kwarg)
        return reverse(page.url_name, kwargs=kwargs)

    def _make(self, org: Any, members: dict[str, Any]) -> Any:
        if not any(p.obj for p in self.pages):
            return None
        with org_scope(org):
            return self.make_object(org, members)

    def test_anonymous_redirected_to_login(self, org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
        obj = self._make(org_a, members_a)
        client = client_for(None)
        for page in self.pages:
            r = client.get(self.url(page, org_a, obj)) if page.get else client.post(self.url(page, org_a, obj), {})
            assert r.status_code == 302 and "/accounts/login/" in r["Location"], page

    def test_other_organization_gets_404(
        self, org_a: Any, members_a: Any, org_b: Any, members_b: Any, client_for: Callable[[Any], Any]
    ) -> None:
        mine = self._make(org_a, members_a)
        theirs = self._make(org_b, members_b)
        for page in self.pages:
            for user in (members_a["outsider"], members_b["admin"]):
                client = client_for(user)
                url = self.url(page, org_a, mine)
                assert (client.get(url) if page.get else client.post(url, {})).status_code == 404, (page, user)
            if page.obj:
                # my organization's URL, another organization's object
                allowed = page.read_roles if page.get else page.post_roles
                client = client_for(members_a[allowed[0]])
                url = self.url(page, org_a, theirs)
                r = client.get(url) if page.get else client.post(url, self.post_data(page, org_a, members_a, theirs))
                assert r.status_code == 404, page

    def test_roles(self, org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
        obj = self._make(org_a, members_a)
        for page in self.pages:
            for role in ROLES:
                client = client_for(members_a[role])
                if page.get:
                    r = client.get(self.url(page, org_a, obj))
                    if role in page.read_roles:
                        assert r.status_code in (200, 302), (page, role, r.status_code)
                    else:
                        assert r.status_code == 403, (page, role, r.status_code)
                if page.post_roles and role not in page.post_roles:
                    r = client.post(self.url(page, org_a, obj), self.post_data(page, org_a, members_a, obj))
                    assert r.status_code == 403, (page, role, r.status_code)
