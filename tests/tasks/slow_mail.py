"""A mail backend whose server never answers: it marks that sending started, then hangs (for a
test that kills the worker mid-send)."""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class HangingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        Path(os.environ["HANGING_MAIL_MARKER"]).write_text("sending")
        time.sleep(600)
        return 0
