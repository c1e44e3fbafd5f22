"""The funding terms leave the idea: they are its ``funding.FundingRound`` now (funding 0005
copied them). The generated ``closes_at`` column (0006) read ``funding_deadline``, so it goes
first; "closing soon" orders by the round's deadline (``ideas.selectors``)."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS idea_closes_at_idx",
    "ALTER TABLE ideas_idea DROP COLUMN IF EXISTS closes_at",
]
BACKWARD = [
    """
    ALTER TABLE ideas_idea ADD COLUMN closes_at timestamp with time zone GENERATED ALWAYS AS (
        CASE status WHEN 'voting' THEN voting_deadline WHEN 'funding' THEN funding_deadline END
    ) STORED
    """,
    """
    CREATE INDEX idea_closes_at_idx ON ideas_idea (closes_at, id)
    WHERE published_at IS NOT NULL AND hidden_at IS NULL
    """,
]


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0012_vote_tally"),
        ("funding", "0005_funding_round"),
    ]

    operations = [
        # Backwards this runs last, once the columns are back.
        migrations.RunSQL(FORWARD, reverse_sql=BACKWARD),
        migrations.RemoveConstraint(model_name="idea", name="idea_platform_fee_range"),
        migrations.RemoveConstraint(model_name="idea", name="idea_funding_goal_positive"),
        migrations.RemoveField(model_name="idea", name="currency"),
        migrations.RemoveField(model_name="idea", name="funding_deadline"),
        migrations.RemoveField(model_name="idea", name="funding_goal"),
        migrations.RemoveField(model_name="idea", name="platform_fee_bp"),
        migrations.RemoveField(model_name="idea", name="points_per_unit"),
    ]
