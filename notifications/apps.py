from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from accounts.hooks import email_later
        from accounts.tasks import account_email_task

        from .outbox import outbox_add

        # accounts' e-mails (password resets) go through the outbox too (accounts.hooks).
        email_later.connect(
            lambda *, subject, body, to, html=None: outbox_add(
                account_email_task, subject, body, to, html
            )
        )
