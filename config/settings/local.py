"""The one-command local run: SQLite under var/, tasks in-process, e-mail to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
ACCOUNT_EMAIL_VERIFICATION = "optional"
