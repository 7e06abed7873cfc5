"""A mail backend whose server fails the first FAILURES sends, then delivers to mail.outbox."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend

FAILURES = 2
attempts = []


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        attempts.append([message.to for message in messages])
        if len(attempts) <= FAILURES:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
