"""Two-phase ledger transactions: entries are staged under a pending transaction (posted_at
null) and one UPDATE posts it. Replaces the guards of 0002:

* entries: one statement-level trigger per INSERT (transition table) refuses entries for a
  posted transaction and keeps ``entry_count``; statement-level UPDATE/DELETE triggers refuse to
  touch entries of a posted transaction. Nothing runs per row.
* transactions: a posted row cannot be updated or deleted; a deferred constraint trigger checks,
  once, when a transaction is posted, that Σ debit = Σ credit over at least one entry.
"""

from django.db import migrations, models

FORWARD = r"""
DROP TRIGGER IF EXISTS payouts_entry_count ON payouts_ledgerentry;
DROP TRIGGER IF EXISTS payouts_entry_append_only ON payouts_ledgerentry;
DROP TRIGGER IF EXISTS payouts_transaction_append_only ON payouts_ledgertransaction;
DROP TRIGGER IF EXISTS payouts_transaction_balanced ON payouts_ledgertransaction;
DROP FUNCTION IF EXISTS payouts_entry_count();
DROP FUNCTION IF EXISTS payouts_refuse_entry_change();
DROP FUNCTION IF EXISTS payouts_refuse_transaction_change();
DROP FUNCTION IF EXISTS payouts_check_balance();

CREATE FUNCTION payouts_entries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT transaction_id FROM new_entries) n
        JOIN payouts_ledgertransaction t ON t.id = n.transaction_id
        WHERE t.posted_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'posted ledger transactions cannot be changed: post a new transaction'
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE payouts_ledgertransaction t SET entry_count = t.entry_count + n.c
    FROM (SELECT transaction_id, count(*) AS c FROM new_entries GROUP BY transaction_id) n
    WHERE t.id = n.transaction_id;
    RETURN NULL;
END $$;

CREATE TRIGGER payouts_entries_inserted AFTER INSERT ON payouts_ledgerentry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_entries_inserted();

CREATE FUNCTION payouts_entries_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT transaction_id FROM old_entries) o
        JOIN payouts_ledgertransaction t ON t.id = o.transaction_id
        WHERE t.posted_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'posted ledger entries cannot be changed or deleted: post a reversal'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION payouts_entries_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT transaction_id FROM new_entries) n
        JOIN payouts_ledgertransaction t ON t.id = n.transaction_id
        WHERE t.posted_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'posted ledger entries cannot be changed or deleted: post a reversal'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER payouts_entries_deleted AFTER DELETE ON payouts_ledgerentry
    REFERENCING OLD TABLE AS old_entries
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_entries_touched();
CREATE TRIGGER payouts_entries_updated AFTER UPDATE ON payouts_ledgerentry
    REFERENCING OLD TABLE AS old_entries
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_entries_touched();
CREATE TRIGGER payouts_entries_updated_into AFTER UPDATE ON payouts_ledgerentry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_entries_moved();

CREATE FUNCTION payouts_transaction_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.posted_at IS NOT NULL THEN
        RAISE EXCEPTION 'posted ledger transactions cannot be changed or deleted: post a reversal'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER payouts_transaction_guard BEFORE UPDATE OR DELETE ON payouts_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION payouts_transaction_guard();

CREATE FUNCTION payouts_check_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d numeric; c numeric; n bigint;
BEGIN
    IF NEW.posted_at IS NULL THEN
        RETURN NULL;  -- staged: checked when it is posted
    END IF;
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
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS payouts_transaction_balanced ON payouts_ledgertransaction;
DROP TRIGGER IF EXISTS payouts_transaction_guard ON payouts_ledgertransaction;
DROP TRIGGER IF EXISTS payouts_entries_updated_into ON payouts_ledgerentry;
DROP TRIGGER IF EXISTS payouts_entries_updated ON payouts_ledgerentry;
DROP TRIGGER IF EXISTS payouts_entries_deleted ON payouts_ledgerentry;
DROP TRIGGER IF EXISTS payouts_entries_inserted ON payouts_ledgerentry;
DROP FUNCTION IF EXISTS payouts_check_balance();
DROP FUNCTION IF EXISTS payouts_transaction_guard();
DROP FUNCTION IF EXISTS payouts_entries_moved();
DROP FUNCTION IF EXISTS payouts_entries_touched();
DROP FUNCTION IF EXISTS payouts_entries_inserted();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('payouts', '0002_postgres_ledger_guards'),
    ]

    operations = [
        migrations.AlterField(
            model_name='ledgertransaction',
            name='posted_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        # One statement each (a list of one): the dollar-quoted bodies are not split, and
        # without parameters the % signs stay PL/pgSQL's.
        migrations.RunSQL([FORWARD], [BACKWARD], elidable=False),
    ]
