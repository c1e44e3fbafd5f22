"""The ledger's accounts under the same guards as its entries (issue 26).

An account's identity — which member, product, kind and currency it belongs to — is what its
entries' money means: one UPDATE of ``member_id`` moved a member's balance to another member,
and a TRUNCATE orphaned every entry. So, as entries and transactions are (0002, 0007):

* UPDATE of ``id``, ``kind``, ``currency``, ``member_id`` or ``product_id`` is refused (the code
  never updates an account; another column added later may still change);
* DELETE is refused (an account is opened once and kept: its entries are the history);
* TRUNCATE is refused through the ledger's TRUNCATE guard (``payouts_refuse_truncate``, which
  lets Django's test runner empty a ``test_*`` database unless ``payouts.guard_truncate`` is on).
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION payouts_refuse_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger accounts cannot be deleted: their entries are the ledger'
            USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.id, NEW.kind, NEW.currency, NEW.member_id, NEW.product_id)
       IS DISTINCT FROM (OLD.id, OLD.kind, OLD.currency, OLD.member_id, OLD.product_id) THEN
        RAISE EXCEPTION 'a ledger account''s member, product, kind and currency cannot be changed'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER payouts_account_guard BEFORE UPDATE OR DELETE ON payouts_account
    FOR EACH ROW EXECUTE FUNCTION payouts_refuse_account_change();
CREATE TRIGGER payouts_no_truncate BEFORE TRUNCATE ON payouts_account
    FOR EACH STATEMENT EXECUTE FUNCTION payouts_refuse_truncate();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS payouts_no_truncate ON payouts_account;
DROP TRIGGER IF EXISTS payouts_account_guard ON payouts_account;
DROP FUNCTION IF EXISTS payouts_refuse_account_change();
"""


class Migration(migrations.Migration):
    dependencies = [("payouts", "0012_bank_file_snapshot")]

    operations = [
        # One statement each (a list of one): the dollar-quoted bodies are not split.
        migrations.RunSQL([FORWARD], [BACKWARD], elidable=False),
    ]
