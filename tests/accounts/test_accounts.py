from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client, override_settings

from apps.accounts.models import User


def test_password_reset_by_email_link(db: Any) -> None:
    user = User.objects.create_user("forgetful@x.test", "old-password-123")
    client = Client()
    r = client.post("/accounts/password/reset/", {"email": "forgetful@x.test"})
    assert r.status_code == 302
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", message.body)
    assert link, message.body
    r = client.get(link.group(1), follow=True)
    assert r.status_code == 200
    form_url = r.redirect_chain[-1][0] if r.redirect_chain else link.group(1)
    r = client.post(form_url, {"password1": "brand-new-password-456", "password2": "brand-new-password-456"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-password-456")


def test_weak_and_mismatched_passwords_are_refused_at_signup(db: Any) -> None:
    r = Client().post("/accounts/signup/", {"email": "new@x.test", "password1": "short", "password2": "short"})
    assert r.status_code == 200 and r.context["form"].errors
    r = Client().post(
        "/accounts/signup/", {"email": "new@x.test", "password1": "long-enough-pass-1", "password2": "different-pass-2"}
    )
    assert r.status_code == 200 and r.context["form"].errors
    assert not User.objects.filter(email="new@x.test").exists()


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_mandatory_email_verification_blocks_login_until_confirmed(db: Any) -> None:
    client = Client()
    r = client.post(
        "/accounts/signup/",
        {"email": "verify@x.test", "password1": "long-enough-pass-1", "password2": "long-enough-pass-1"},
    )
    assert r.status_code == 302 and "confirm-email" in r["Location"]
    assert any("confirm" in m.body.lower() for m in mail.outbox)
    r = Client().post("/accounts/login/", {"login": "verify@x.test", "password": "long-enough-pass-1"})
    assert r.status_code == 302 and "confirm-email" in r["Location"]  # not signed in until verified


@override_settings(ACCOUNT_ALLOW_SIGNUP=False)
def test_closed_signup_still_admits_invited_people(org_a: Any, members_a: Any) -> None:
    from apps.core.tenancy import org_scope
    from apps.organizations.services import invitation_create

    stranger = Client()
    r = stranger.post(
        "/accounts/signup/",
        {"email": "nobody@x.test", "password1": "long-enough-pass-1", "password2": "long-enough-pass-1"},
    )
    assert not User.objects.filter(email="nobody@x.test").exists()
    assert r.status_code == 200 and b"closed" in r.content.lower()
    with org_scope(org_a):
        inv = invitation_create(organization=org_a, actor=members_a["admin"], email="invited@x.test", roles=["viewer"])
    guest = Client()
    assert guest.get(f"/invitations/{inv.token}/").status_code == 200  # remembers the invitation in the session
    r = guest.post(
        "/accounts/signup/",
        {"email": "invited@x.test", "password1": "long-enough-pass-1", "password2": "long-enough-pass-1"},
    )
    assert r.status_code == 302
    assert User.objects.filter(email="invited@x.test").exists()
