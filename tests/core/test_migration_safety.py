"""Migrations without downtime: no migration may break the release still running while it
applies (the rules: core.migration_safety; docs/operations.md). A migration written before the
rule existed, or safe for a reason the rules cannot see, is allowed here by name, with why."""

import pytest
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.state import ModelState, ProjectState

from core.migration_safety import findings, operation_problems

# Written before zero-downtime deploys were asked for (issue 29): until then every release
# migrated with the site stopped, and each of these has been applied wherever AHHHA runs. They
# stay as they are (migrations are never edited); new migrations follow the rules.
BEFORE = "applied before issue 29's zero-downtime rule, with the site stopped"
SAME_ROUND = "merged with the rule, applied with the site stopped"
ALLOWED = {
    "accounts.0003_username_skeleton": f"{BEFORE}: a filled NOT NULL skeleton and its index",
    "accounts.0004_user_time_zone": f"{BEFORE}: a NOT NULL time zone with a Python default",
    "contributions.0002_contribution_evidence_mime_and_more": f"{BEFORE}: a column, an index "
    "and two checks on contributions",
    "ideas.0002_comment_flag_moderationevent_idea_comment_count_and_more": f"{BEFORE}: "
    "moderation's columns and the list indexes on ideas",
    "ideas.0003_search_vector": f"{BEFORE}: the search vector's GIN index",
    "ideas.0004_public_status_index": f"{BEFORE}: the public lists' status index",
    "ideas.0005_hot_score": f"{BEFORE}: the hot score's index",
    "ideas.0006_closes_at": f"{BEFORE}: the closing time's index",
    "ideas.0007_comment_thread_order_index": f"{BEFORE}: the thread order index",
    "ideas.0008_search_words": f"{BEFORE}: the search words column and its rebuilt index",
    "ideas.0010_comment_roots_order": f"{BEFORE}: the root comments' order index",
    "ideas.0013_funding_terms_to_round": f"{BEFORE}: the funding terms moved to the round "
    "(a contract step: the release before it no longer exists)",
    "funding.0004_payment_outcomes": f"{BEFORE}: a check on payments",
    "funding.0005_funding_round": f"{BEFORE}: the funding terms moved to funding.FundingRound, "
    "copied by the migration itself",
    "notifications.0002_bulk_source": f"{BEFORE}: one bulk notification per recipient",
    "notifications.0003_preferences_digest": f"{BEFORE}: the digest's index",
    "payouts.0005_batch_cancel": f"{BEFORE}: a paid batch has a reference",
    "payouts.0006_settlement_discard_and_reversal": f"{BEFORE}: discarding and reversing "
    "settlements (columns, foreign keys, checks)",
    "payouts.0009_money_returned": f"{BEFORE}: checks on accounts",
    # Written in the same round as the rule itself (issues 26-30, merged together): this release
    # migrates with the site stopped, like those before it; the next one follows the rule.
    "ideas.0014_phrases_hlang": f"{SAME_ROUND}: NOT NULL JSON parameters of history lines",
    "contributions.0004_phrases_hlang": f"{SAME_ROUND}: a claim's phrase parameters and the "
    "check that a rejected claim has a reason (a code or words)",
    "payouts.0014_money_accounts_hmoney": f"{SAME_ROUND}: the product funds accounts' checks "
    "(the accounts table holds a few rows per member, product and currency)",
    "voting.0003_vote_counts_hvote": f"{SAME_ROUND}: counted votes (the voided foreign key and "
    "the pending votes' partial index on the votes table)",
}


def test_no_migration_breaks_the_release_still_running():
    unsafe = [finding for finding in findings() if finding.migration not in ALLOWED]
    assert not unsafe, (
        "These migrations would break the release still serving while they apply "
        "(docs/operations.md, 'Migrations without downtime'): split them into an expand "
        "release and a later contract release, give a new NOT NULL column a db_default, build "
        "indexes with AddIndexConcurrently (in a migration with atomic = False). If one is "
        "safe for a reason the rules cannot see, allow it in ALLOWED with that reason.\n"
        + "\n".join(map(str, unsafe))
    )


def test_every_allowed_migration_still_needs_it():
    flagged = {finding.migration for finding in findings()}
    stale = sorted(set(ALLOWED) - flagged)
    assert not stale, f"allowed, but nothing in them is flagged any more: {stale}"


@pytest.fixture
def state():
    """The schema before the operation: shop.Item(name NOT NULL, note NULL, owner FK)."""
    project = ProjectState()
    project.add_model(ModelState("auth", "User", [("id", models.AutoField(primary_key=True))]))
    project.add_model(
        ModelState(
            "shop",
            "Item",
            [
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=50)),
                ("note", models.TextField(null=True)),
            ],
        )
    )
    return project


def problems(state, op, created=()):
    return operation_problems("shop", op, state, {("shop", name) for name in created})


@pytest.mark.parametrize(
    "op",
    [
        migrations.RemoveField("item", "note"),
        migrations.RenameField("item", "note", "remark"),
        migrations.DeleteModel("Item"),
        migrations.RenameModel("Item", "Product"),
        migrations.AlterModelTable("item", "shop_product"),
        migrations.AddField("item", "price", models.IntegerField(default=0)),
        migrations.AddField(
            "item", "owner", models.ForeignKey("auth.User", models.CASCADE, null=True)
        ),  # noqa: E501
        migrations.AddField("item", "code", models.CharField(max_length=5, null=True, unique=True)),  # noqa: E501
        migrations.AddIndex("item", models.Index(fields=["name"], name="item_name_idx")),
        migrations.AddConstraint(
            "item", models.CheckConstraint(condition=models.Q(name__gt=""), name="named")
        ),  # noqa: E501
        migrations.AlterField("item", "note", models.TextField()),
        migrations.AlterField("item", "name", models.CharField(max_length=20)),
        migrations.AlterField("item", "name", models.IntegerField()),
        migrations.AlterField("item", "name", models.CharField(max_length=50, db_column="title")),  # noqa: E501
        migrations.RunSQL("CREATE INDEX item_note ON shop_item (note)"),
        migrations.RunSQL("ALTER TABLE shop_item ADD COLUMN price integer NOT NULL"),
        migrations.RunSQL("ALTER TABLE shop_item DROP COLUMN note"),
        migrations.RunSQL("ALTER TABLE shop_item ALTER COLUMN note SET NOT NULL"),
    ],
    ids=lambda op: op.describe(),
)
def test_an_operation_that_breaks_the_old_release_is_flagged(state, op):
    assert problems(state, op)


@pytest.mark.parametrize(
    "op",
    [
        migrations.AddField("item", "price", models.IntegerField(null=True)),
        migrations.AddField("item", "price", models.IntegerField(db_default=0)),
        migrations.AddField("item", "tags", models.ManyToManyField("auth.User")),
        AddIndexConcurrently("item", models.Index(fields=["name"], name="item_name_idx")),
        migrations.AlterField("item", "name", models.CharField(max_length=80)),
        migrations.AlterField("item", "note", models.TextField(null=True, blank=True)),
        migrations.RemoveIndex("item", "item_name_idx"),
        migrations.RunSQL("CREATE INDEX CONCURRENTLY item_note ON shop_item (note)"),
        migrations.RunSQL("ALTER TABLE shop_item ADD COLUMN price integer NOT NULL DEFAULT 0"),
        migrations.RunSQL("CREATE TRIGGER t BEFORE UPDATE ON shop_item EXECUTE FUNCTION f()"),
        migrations.RunPython(migrations.RunPython.noop),
        migrations.CreateModel("Box", [("id", models.AutoField(primary_key=True))]),
    ],
    ids=lambda op: op.describe(),
)
def test_an_operation_the_old_release_survives_passes(state, op):
    assert problems(state, op) == []


def test_anything_on_a_table_the_same_migration_creates_passes(state):
    state.add_model(ModelState("shop", "Box", [("id", models.AutoField(primary_key=True))]))
    index = migrations.AddIndex("box", models.Index(fields=["id"], name="box_idx"))
    column = migrations.AddField("box", "size", models.IntegerField(default=1))
    assert problems(state, index, created=["box"]) == []
    assert problems(state, column, created=["box"]) == []
