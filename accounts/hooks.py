"""The seam through which accounts' e-mails go out the way notifications' do (accounts is below
notifications and never imports it; ``core.hooks``).

``email_later(subject=, body=, to=, html=)`` — keep one account e-mail (a password-reset link)
with the current transaction and send it after the commit: notifications connects its
transactional outbox (``notifications.outbox``), so a broker that is down at that moment delays
the e-mail (beat publishes it) instead of losing it."""

from core.hooks import Hook

email_later = Hook("email_later", __doc__ or "")
