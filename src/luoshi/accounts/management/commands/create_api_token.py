"""``luoshi manage create_api_token USER``: issue an API token and print it once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from luoshi.accounts import audit
from luoshi.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for USER and print it (it is stored only as a hash)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no such user: {username}")
        _row, token = ApiToken.issue(user, name)
        audit.record("token_created", user=user, detail=name)
        self.stdout.write(token)
