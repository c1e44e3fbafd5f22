#!/bin/sh
# Start one AHHHA process: web (migrates first), worker or beat.
set -eu
role="${1:-web}"
# Refuse to serve a misconfigured production (no PAYOUT_DESTINATION_KEYS, no SECRET_KEY, …):
# errors stop here; warnings are printed (DEPLOY_CHECK_FAIL_LEVEL=WARNING stops on them too).
preflight() {
  python manage.py check --deploy --fail-level "${DEPLOY_CHECK_FAIL_LEVEL:-ERROR}"
}
# Prometheus: each process group (this container's gunicorn, or its Celery worker) counts into a
# directory of its own (docs/operations.md).
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-/tmp/ahhha-metrics/$role}"
case "$role" in
  web)
    preflight
    python manage.py migrate --noinput
    exec gunicorn config.wsgi:application -c /app/platform/gunicorn.conf.py
    ;;
  worker)
    preflight
    # CELERY_BEAT=1: this worker also starts beat; the beat lock (config.beat) lets one run it.
    exec celery -A config worker --loglevel "${LOG_LEVEL:-INFO}" --concurrency "${CELERY_CONCURRENCY:-2}" ${CELERY_BEAT:+-B}
    ;;
  beat)
    # A beat of its own: the same lock, the schedule in memory (config.beat.LockedScheduler).
    exec celery -A config beat --loglevel "${LOG_LEVEL:-INFO}"
    ;;
  *)
    exec "$@"
    ;;
esac
