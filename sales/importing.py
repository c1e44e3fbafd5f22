"""The import job: a sales file taken whole or not at all (docs/sales-import.md).

The file is read row by row and COPYed into a temporary table inside one transaction, then
moved into ``sales_salesline`` with ``ON CONFLICT DO NOTHING`` (an order already recorded is
counted once); the first bad row rolls everything back and is kept as the job's refusal. Memory
stays flat: one row in Python at a time, the rest in PostgreSQL. Progress (bytes read) is
written on a connection of its own, so the page sees it while the import's transaction is
still open.
"""

import io
import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.db import connection, connections, transaction
from django.utils import timezone

from core.money import exponent
from payouts.selectors import product_funded_on

from . import selectors
from .models import Channel, ImportFormat, ImportJob, ImportStatus
from .parsing import Line, RefundMark, RowError, platform_lines, shopify_lines
from .parsing_taobao import (
    ENCODING_PROBE,
    TAOBAO_CURRENCY,
    taobao_encoding,
    taobao_lines,
)

log = logging.getLogger(__name__)

PROGRESS_EVERY = 5_000  # rows between two progress reports
CHINA = ZoneInfo("Asia/Shanghai")
# Per format: its parser, the lines' source (and the channel of its refund lines), and the
# currency its files are always in (None: named on each row).
FORMATS = {
    ImportFormat.PLATFORM: (platform_lines, Channel.PLATFORM_CSV, None),
    ImportFormat.SHOPIFY: (shopify_lines, Channel.SHOPIFY, None),
    ImportFormat.TAOBAO: (taobao_lines, Channel.TAOBAO, TAOBAO_CURRENCY),
}
ROW_COLUMNS = (
    "channel, order_id, kind, ref, date, quantity, gross, discounts, refunds, channel_fees, "
    "currency"
)


class _Progress:
    """Writes the job's progress on a connection outside the import's transaction."""

    def __init__(self, job_id: int, size: int) -> None:
        self.job_id = job_id
        self.size = max(size, 1)
        self.conn = None

    def report(self, position: int) -> None:
        percent = min(95, 5 + int(90 * position / self.size))
        try:
            if self.conn is None:
                self.conn = connections.create_connection("default")
            with self.conn.cursor() as cursor:
                cursor.execute(
                    "UPDATE sales_importjob SET progress = %s WHERE id = %s", [percent, self.job_id]
                )
        except Exception:  # progress is a courtesy: never fail an import over it
            log.warning("import %s: progress not written", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _check_line(line: Line | RefundMark, row: int, rules: dict) -> None:
    if line.currency != rules["currency"]:
        raise RowError(row, "wrong_currency", value=line.currency[:10], currency=rules["currency"])
    if isinstance(line, RefundMark):
        return
    if line.date > rules["latest"]:
        raise RowError(row, "future_date", value=line.date.isoformat())
    if line.date < rules["funded_on"]:
        raise RowError(
            row,
            "before_funding",
            value=line.date.isoformat(),
            funded_on=rules["funded_on"].isoformat(),
        )
    for start, end in rules["settled"]:
        if start <= line.date <= end:
            raise RowError(
                row, "settled_date", value=line.date.isoformat(), start=start.isoformat(),
                end=end.isoformat(),
            )  # fmt: skip


def _text(job: ImportJob, stream) -> io.TextIOWrapper:
    """The file as text: UTF-8, or for Taobao's report also GBK, told from its first bytes
    (read once more from the start afterwards; the rest is read once, row by row)."""
    encoding = "utf-8"
    if job.format == ImportFormat.TAOBAO:
        encoding = taobao_encoding(stream.read(ENCODING_PROBE))
        stream.seek(0)
    return io.TextIOWrapper(stream, encoding=encoding, newline="")


def _copy_rows(job: ImportJob, stream, progress: _Progress, rules: dict) -> int:
    parse, _source, currency = FORMATS[job.format]
    if currency is not None and currency != rules["currency"]:  # the whole file is refused
        raise RowError(1, "wrong_currency", value=currency, currency=rules["currency"])
    places = exponent(rules["currency"])
    text = _text(job, stream)
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE sales_import_rows (channel text, order_id text, kind text, "
            "ref text, date date, quantity integer, gross bigint, discounts bigint, "
            "refunds bigint, channel_fees bigint, currency text) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE sales_import_refunds (order_id text, refunded bigint, "
            "currency text) ON COMMIT DROP"
        )
        refunds = []
        with cursor.cursor.copy(f"COPY sales_import_rows ({ROW_COLUMNS}) FROM STDIN") as copy:
            for row, line in parse(text, places=places):
                _check_line(line, row, rules)
                count += 1
                if isinstance(line, RefundMark):
                    refunds.append((line.order_id, line.refunded, line.currency))
                else:
                    copy.write_row(
                        (line.channel, line.order_id, line.kind, line.ref, line.date,
                         line.quantity, line.gross, line.discounts, line.refunds,
                         line.channel_fees, line.currency)
                    )  # fmt: skip
                if count % PROGRESS_EVERY == 0:
                    progress.report(stream.tell())
        if refunds:
            with cursor.cursor.copy("COPY sales_import_refunds FROM STDIN") as copy:
                for refund in refunds:
                    copy.write_row(refund)
    return count


def _move_rows(job: ImportJob, today: date) -> int:
    """Insert the staged rows; returns how many were new."""
    source = str(FORMATS[job.format][1])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO sales_salesline (product_id, {ROW_COLUMNS}, source, import_job_id, "  # noqa: S608
            f"created_at) SELECT %s, {ROW_COLUMNS}, %s, %s, now() FROM sales_import_rows "
            "ON CONFLICT (product_id, channel, order_id, kind, ref) DO NOTHING",
            [job.product_id, source, job.pk],
        )
        added = cursor.rowcount
        # A refund line for what each order's refunded amount grew by since the last import.
        cursor.execute(
            f"INSERT INTO sales_salesline (product_id, {ROW_COLUMNS}, source, import_job_id, "  # noqa: S608
            "created_at) "
            "SELECT %s, %s, r.order_id, 'refund', 'to:' || r.refunded, %s, 0, 0, 0, "
            "r.refunded - coalesce(p.done, 0), 0, r.currency, %s, %s, now() "
            "FROM (SELECT DISTINCT ON (order_id) * FROM sales_import_refunds "
            "      ORDER BY order_id, refunded DESC) r "
            "LEFT JOIN (SELECT order_id, sum(refunds) AS done FROM sales_salesline "
            "           WHERE product_id = %s AND channel = %s AND kind = 'refund' "
            "           GROUP BY order_id) p USING (order_id) "
            "WHERE r.refunded > coalesce(p.done, 0) "
            "ON CONFLICT (product_id, channel, order_id, kind, ref) DO NOTHING",
            [job.product_id, source, today, source, job.pk, job.product_id, source],
        )
        added += cursor.rowcount
        # Dropped now, not only at the commit: an import inside a caller's transaction (a test,
        # a shell) may be followed by another.
        cursor.execute("DROP TABLE sales_import_rows, sales_import_refunds")
        return added


def _rules(job: ImportJob) -> dict:
    product = job.product
    today = datetime.now(UTC).date()
    return {
        "currency": product.currency,
        "today": today,  # the day refund lines are dated (periods end on a UTC day)
        # The latest day a line may carry: Taobao's report writes China time, ahead of UTC.
        "latest": datetime.now(CHINA).date() if job.format == ImportFormat.TAOBAO else today,
        "funded_on": product_funded_on(product=product),
        "settled": selectors.settled_ranges(product_id=product.pk),
    }


def import_run(*, job_id: int) -> ImportJob:
    """Run an import job once: a conditional UPDATE claims it (a second run finds it claimed)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, progress=5
    )
    job = ImportJob.objects.select_related("product").get(pk=job_id)
    if not claimed:
        return job
    rules = _rules(job)
    progress = _Progress(job.pk, job.file.size)
    outcome: dict = {}
    try:
        with transaction.atomic(), job.file.open("rb") as stream:
            rows = _copy_rows(job, stream, progress, rules)
            added = _move_rows(job, rules["today"])
        outcome = {"status": ImportStatus.DONE, "rows": rows, "lines_added": added,
                   "lines_known": max(0, rows - added)}  # fmt: skip
    except RowError as exc:
        outcome = {"status": ImportStatus.FAILED, "error_row": exc.row if exc.row > 1 else None,
                   "error_code": exc.code, "error_params": exc.params}  # fmt: skip
        if exc.code in ("missing_column", "empty_file"):
            outcome["error_row"] = None
    except UnicodeDecodeError:
        code = "taobao_not_text" if job.format == ImportFormat.TAOBAO else "not_utf8"
        outcome = {"status": ImportStatus.FAILED, "error_code": code, "error_params": {}}
    finally:
        progress.close()
        if not outcome:  # an unexpected error: say so on the page, and let it be logged
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportStatus.FAILED, error_code="failed", finished_at=timezone.now()
            )
    ImportJob.objects.filter(pk=job_id).update(progress=100, finished_at=timezone.now(), **outcome)
    job.refresh_from_db()
    return job
