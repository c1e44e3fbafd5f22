"""PostgreSQL guards for the ledger and the periods.

* A deferred constraint trigger on the *transaction* row checks, once at commit, that its entries
  balance (Σ debit = Σ credit, at least one entry). Entries never get a per-row trigger that
  re-sums the whole transaction: a statement-level trigger with a transition table counts the
  inserted entries and touches their transaction row once per statement, which (re-)arms the
  deferred check. A 100,000-line settlement thus costs one aggregate at commit.
* Entries refuse UPDATE and DELETE; transactions refuse DELETE and any UPDATE other than the
  entry count. A correction is a reversing transaction.
* Periods of a product never overlap (an exclusion constraint over date ranges).
"""

from django.db import migrations

FORWARD = r"""
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE payouts_period ADD CONSTRAINT period_no_overlap
    EXCLUDE USING gist (product_id WITH =, daterange("start", "end", '[]') WITH &&);

CREATE FUNCTION payouts_entry_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE payouts_ledgertransaction t SET entry_count = t.entry_count + n.c
    FROM (SELECT transaction_id, count(*) AS c FROM new_entries GROUP BY transaction_id) n
    WHERE t.id = n.transaction_id;
    RETURN NULL;
END $$;

CREATE TRIGGER payouts_entry_count AFTER INSERT ON payouts_ledgerentry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_entry_count();

CREATE FUNCTION payouts_check_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d numeric; c numeric; n bigint;
BEGIN
    SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) INTO d, c, n
    FROM payouts_ledgerentry WHERE transaction_id = NEW.id;
    IF n = 0 OR d <> c THEN
        RAISE EXCEPTION 'ledger transaction % is unbalanced: debits %, credits %, % entries',
            NEW.id, d, c, n USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER payouts_transaction_balanced
    AFTER INSERT OR UPDATE ON payouts_ledgertransaction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION payouts_check_balance();

CREATE FUNCTION payouts_refuse_entry_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'posted ledger entries cannot be changed or deleted: post a reversal'
        USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER payouts_entry_append_only BEFORE UPDATE OR DELETE ON payouts_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION payouts_refuse_entry_change();

CREATE FUNCTION payouts_refuse_transaction_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       OR (to_jsonb(NEW) - 'entry_count') IS DISTINCT FROM (to_jsonb(OLD) - 'entry_count') THEN
        RAISE EXCEPTION 'posted ledger transactions cannot be changed or deleted: post a reversal'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER payouts_transaction_append_only
    BEFORE UPDATE OR DELETE ON payouts_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION payouts_refuse_transaction_change();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS payouts_transaction_append_only ON payouts_ledgertransaction;
DROP FUNCTION IF EXISTS payouts_refuse_transaction_change();
DROP TRIGGER IF EXISTS payouts_entry_append_only ON payouts_ledgerentry;
DROP FUNCTION IF EXISTS payouts_refuse_entry_change();
DROP TRIGGER IF EXISTS payouts_transaction_balanced ON payouts_ledgertransaction;
DROP FUNCTION IF EXISTS payouts_check_balance();
DROP TRIGGER IF EXISTS payouts_entry_count ON payouts_ledgerentry;
DROP FUNCTION IF EXISTS payouts_entry_count();
ALTER TABLE payouts_period DROP CONSTRAINT IF EXISTS period_no_overlap;
"""


class Migration(migrations.Migration):
    dependencies = [("payouts", "0001_initial")]

    operations = [
        # One statement each (a list of one): the dollar-quoted bodies are not split, and
        # without parameters the % signs stay PL/pgSQL's.
        migrations.RunSQL([FORWARD], [BACKWARD], elidable=False),
    ]
