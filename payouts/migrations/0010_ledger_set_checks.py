"""Referential integrity of ledger entries and settlement lines checked once per statement.

The per-row foreign keys of ``payouts_ledgerentry`` (account, transaction) and
``payouts_settlementline`` (settlement, member) made PostgreSQL check every row on its own at
commit (``SELECT 1 … FOR KEY SHARE``): 10–12 s of a million-contributor settlement's staging.
They are replaced by set-based checks in statement-level triggers (transition tables), as the
ledger's other guards already are (0003):

* inserting or updating entries or lines: every account, transaction, settlement and member
  they name must exist (``foreign_key_violation`` otherwise);
* deleting accounts, transactions, settlements or members that entries or lines still name is
  refused the same way (Django's ``on_delete`` still runs first in the ORM).

Primary keys are never updated, so updates of the referenced rows need no check.
"""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion

ENTRIES_REFER = """
    IF EXISTS (SELECT 1 FROM new_entries n
               WHERE NOT EXISTS (SELECT 1 FROM payouts_account a WHERE a.id = n.account_id)) THEN
        RAISE EXCEPTION 'ledger entries must name an existing account'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT transaction_id FROM new_entries) n
               WHERE NOT EXISTS (SELECT 1 FROM payouts_ledgertransaction t
                                 WHERE t.id = n.transaction_id)) THEN
        RAISE EXCEPTION 'ledger entries must belong to an existing transaction'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
"""

POSTED_GUARD = """
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT transaction_id FROM new_entries) n
        JOIN payouts_ledgertransaction t ON t.id = n.transaction_id
        WHERE t.posted_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION '%s'
            USING ERRCODE = 'check_violation';
    END IF;
"""


def _refused_delete(name: str, table: str, referencing: str, column: str, what: str) -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o
               WHERE EXISTS (SELECT 1 FROM {referencing} r WHERE r.{column} = o.id)) THEN
        RAISE EXCEPTION '{what}' USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def _entry_functions(refer: str) -> str:
    """The entries' insert and update trigger functions (0003's, with ``refer`` in front)."""
    inserted = POSTED_GUARD % "posted ledger transactions cannot be changed: post a new transaction"
    moved = POSTED_GUARD % "posted ledger entries cannot be changed or deleted: post a reversal"
    return f"""
CREATE OR REPLACE FUNCTION payouts_entries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{refer}{inserted}
    UPDATE payouts_ledgertransaction t SET entry_count = t.entry_count + n.c
    FROM (SELECT transaction_id, count(*) AS c FROM new_entries GROUP BY transaction_id) n
    WHERE t.id = n.transaction_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION payouts_entries_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{refer}{moved}
    RETURN NULL;
END $$;
"""


FORWARD = (
    _entry_functions(ENTRIES_REFER)
    + """
CREATE FUNCTION payouts_lines_refer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT settlement_id FROM new_lines) n
               WHERE NOT EXISTS (SELECT 1 FROM payouts_settlement s
                                 WHERE s.id = n.settlement_id)) THEN
        RAISE EXCEPTION 'settlement lines must belong to an existing settlement'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM new_lines n WHERE n.member_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = n.member_id)) THEN
        RAISE EXCEPTION 'settlement lines must name an existing member'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER payouts_lines_inserted AFTER INSERT ON payouts_settlementline
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION payouts_lines_refer();
CREATE TRIGGER payouts_lines_updated_into AFTER UPDATE ON payouts_settlementline
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION payouts_lines_refer();
"""
    + _refused_delete(
        "payouts_accounts_deleted",
        "payouts_account",
        "payouts_ledgerentry",
        "account_id",
        "ledger accounts with entries cannot be deleted",
    )
    + _refused_delete(
        "payouts_transactions_deleted",
        "payouts_ledgertransaction",
        "payouts_ledgerentry",
        "transaction_id",
        "ledger transactions with entries cannot be deleted",
    )
    + _refused_delete(
        "payouts_settlements_deleted",
        "payouts_settlement",
        "payouts_settlementline",
        "settlement_id",
        "settlements with lines cannot be deleted: delete the lines first",
    )
    + _refused_delete(
        "payouts_members_deleted",
        "accounts_user",
        "payouts_settlementline",
        "member_id",
        "members named in settlement lines cannot be deleted",
    )
)

BACKWARD = (
    _entry_functions("")
    + """
DROP TRIGGER IF EXISTS payouts_members_deleted ON accounts_user;
DROP TRIGGER IF EXISTS payouts_settlements_deleted ON payouts_settlement;
DROP TRIGGER IF EXISTS payouts_transactions_deleted ON payouts_ledgertransaction;
DROP TRIGGER IF EXISTS payouts_accounts_deleted ON payouts_account;
DROP TRIGGER IF EXISTS payouts_lines_updated_into ON payouts_settlementline;
DROP TRIGGER IF EXISTS payouts_lines_inserted ON payouts_settlementline;
DROP FUNCTION IF EXISTS payouts_members_deleted();
DROP FUNCTION IF EXISTS payouts_settlements_deleted();
DROP FUNCTION IF EXISTS payouts_transactions_deleted();
DROP FUNCTION IF EXISTS payouts_accounts_deleted();
DROP FUNCTION IF EXISTS payouts_lines_refer();
"""
)


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0009_money_returned"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="ledgerentry",
            name="account",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="payouts.account",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="transaction",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="payouts.ledgertransaction",
            ),
        ),
        migrations.AlterField(
            model_name="settlementline",
            name="member",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="settlementline",
            name="settlement",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="payouts.settlement",
            ),
        ),
        # One statement each (a list of one): the dollar-quoted bodies are not split, and
        # without parameters the % signs stay PL/pgSQL's.
        migrations.RunSQL([FORWARD], [BACKWARD]),
    ]
