"""Logging through structlog: one JSON object a line (``LOG_FORMAT=json``, production's
default) or readable lines (``console``, the default in debug). Everything logs through the
standard library, so Django's, Celery's and gunicorn's lines come out in the same shape; the
context bound for a request or a task (``request_id``, ``task_id``, ``task``) is added to every
line logged while it runs, and so are a call's ``extra={...}`` fields.

Imported by the settings: nothing here may import Django's settings or an app."""

import logging

import structlog

FORMATS = ("json", "console")

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(*, log_format: str, level: str) -> dict:
    """The ``LOGGING`` dictionary: the root logger writes to stderr in ``log_format``."""
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    renderer = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    final = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if log_format == "json":
        final.append(structlog.processors.format_exc_info)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [*final, renderer],
                "foreign_pre_chain": _SHARED,
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }


def bind(**values) -> None:
    """Add these fields to every line logged from here on in this context (a request, a task)."""
    structlog.contextvars.bind_contextvars(**values)


def unbind_all() -> None:
    structlog.contextvars.clear_contextvars()


def bound() -> dict:
    return structlog.contextvars.get_contextvars()


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)
