#!/bin/sh
# Start one AHHHA process: web (migrates first), worker or beat.
set -eu
role="${1:-web}"
case "$role" in
  web)
    python manage.py migrate --noinput
    exec gunicorn config.wsgi:application -c /app/platform/gunicorn.conf.py
    ;;
  worker)
    exec celery -A config worker --loglevel "${LOG_LEVEL:-INFO}" --concurrency "${CELERY_CONCURRENCY:-2}"
    ;;
  beat)
    exec celery -A config beat --loglevel "${LOG_LEVEL:-INFO}" --schedule /tmp/celerybeat-schedule
    ;;
  *)
    exec "$@"
    ;;
esac
