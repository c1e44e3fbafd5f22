"""PostgreSQL guards for posted settlements and against TRUNCATE.

* A posted (or reversed) settlement's figures cannot be changed and the row cannot be deleted;
  its status may go posted → reversed (with the reversal's who/when/why), nothing else.
* The lines of a posted (or reversed) settlement cannot be changed or deleted (statement-level
  triggers over transition tables: nothing runs per row of a 100,000-line preview).
* The ledger (entries and transactions), settlements and settlement lines refuse TRUNCATE, which
  fires no row triggers. Django's test runner empties tables with TRUNCATE between transactional
  tests, so a database named ``test_*`` lets it through unless the session sets
  ``payouts.guard_truncate = on`` (the tests of this guard do).
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION payouts_settlement_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    frozen text[] := ARRAY['period_id', 'product_id', 'currency', 'platform_fee_bp', 'profit',
        'carried_loss_in', 'distributable', 'carried_loss_out', 'creator_amount',
        'platform_amount', 'contributors_amount', 'contributor_count', 'line_count',
        'closed_by_id', 'approved_by_id', 'approved_at', 'posted_at', 'progress'];
BEGIN
    IF OLD.status NOT IN ('posted', 'reversed') THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE'
       OR NOT (NEW.status = OLD.status OR (OLD.status = 'posted' AND NEW.status = 'reversed'))
       OR EXISTS (
           SELECT 1 FROM unnest(frozen) AS k
           WHERE to_jsonb(NEW) -> k IS DISTINCT FROM to_jsonb(OLD) -> k
       ) THEN
        RAISE EXCEPTION 'a posted settlement cannot be changed or deleted: request a reversal'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER payouts_settlement_guard BEFORE UPDATE OR DELETE ON payouts_settlement
    FOR EACH ROW EXECUTE FUNCTION payouts_settlement_guard();

CREATE FUNCTION payouts_lines_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT settlement_id FROM old_lines) o
        JOIN payouts_settlement s ON s.id = o.settlement_id
        WHERE s.status IN ('posted', 'reversed')
    ) THEN
        RAISE EXCEPTION 'lines of a posted settlement cannot be changed or deleted'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER payouts_lines_deleted AFTER DELETE ON payouts_settlementline
    REFERENCING OLD TABLE AS old_lines
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_lines_touched();
CREATE TRIGGER payouts_lines_updated AFTER UPDATE ON payouts_settlementline
    REFERENCING OLD TABLE AS old_lines
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_lines_touched();

CREATE FUNCTION payouts_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_database() LIKE 'test\_%'
       AND coalesce(current_setting('payouts.guard_truncate', true), '') <> 'on' THEN
        RETURN NULL;  -- Django's test runner empties its own test database
    END IF;
    RAISE EXCEPTION '% cannot be truncated: the ledger and settlements are append-only',
        TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER payouts_no_truncate BEFORE TRUNCATE ON payouts_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_refuse_truncate();
CREATE TRIGGER payouts_no_truncate BEFORE TRUNCATE ON payouts_ledgertransaction
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_refuse_truncate();
CREATE TRIGGER payouts_no_truncate BEFORE TRUNCATE ON payouts_settlement
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_refuse_truncate();
CREATE TRIGGER payouts_no_truncate BEFORE TRUNCATE ON payouts_settlementline
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_refuse_truncate();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS payouts_no_truncate ON payouts_settlementline;
DROP TRIGGER IF EXISTS payouts_no_truncate ON payouts_settlement;
DROP TRIGGER IF EXISTS payouts_no_truncate ON payouts_ledgertransaction;
DROP TRIGGER IF EXISTS payouts_no_truncate ON payouts_ledgerentry;
DROP FUNCTION IF EXISTS payouts_refuse_truncate();
DROP TRIGGER IF EXISTS payouts_lines_updated ON payouts_settlementline;
DROP TRIGGER IF EXISTS payouts_lines_deleted ON payouts_settlementline;
DROP FUNCTION IF EXISTS payouts_lines_touched();
DROP TRIGGER IF EXISTS payouts_settlement_guard ON payouts_settlement;
DROP FUNCTION IF EXISTS payouts_settlement_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("payouts", "0006_settlement_discard_and_reversal")]

    operations = [
        # One statement each (a list of one): the dollar-quoted bodies are not split.
        migrations.RunSQL([FORWARD], [BACKWARD], elidable=False),
    ]
