"""PostgreSQL: the hot score as a generated, indexed column, so "hot" pages read an index.

hot_score = log10(max(votes, 1)) + published_epoch / 172800 (see
ideas.selectors.HOT_DECADE_SECONDS). It does not depend on "now", so it can be stored;
PostgreSQL recomputes it whenever vote_count changes.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE ideas_idea ADD COLUMN hot_score double precision GENERATED ALWAYS AS (
        log(greatest(vote_count, 1)::double precision)
        + extract(epoch from (published_at AT TIME ZONE 'UTC'))::double precision / 172800.0
    ) STORED
    """,
    """
    CREATE INDEX idea_hot_idx ON ideas_idea (hot_score DESC, id DESC)
    WHERE published_at IS NOT NULL AND hidden_at IS NULL
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS idea_hot_idx",
    "ALTER TABLE ideas_idea DROP COLUMN IF EXISTS hot_score",
]


class Migration(migrations.Migration):
    dependencies = [("ideas", "0004_public_status_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
