from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.accounts.services import api_token_create
from apps.core.tenancy import org_scope
from apps.organizations.models import Organization


class Command(BaseCommand):
    help = "Create an API token for a member of an organization and print it (shown once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", required=True, help="the member's e-mail address")
        parser.add_argument("--org", required=True, help="the organization's slug")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=None, help="expiry in days (default: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"no user with e-mail {options['user']!r}")
        org = Organization.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"no organization with slug {options['org']!r}")
        with org_scope(org):
            try:
                _token, raw = api_token_create(
                    organization=org, actor=user, name=options["name"], expires_in_days=options["days"]
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(raw)
