"""The hot vote counter leaves the wide idea row: counter rows (VoteTally) beside it.

``Idea.vote_count`` becomes the folded count ``votes_folded`` in Python; the column keeps its
name, so the generated hot_score and the "top" index read it unchanged (no table rewrite).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ideas", "0011_idea_cover")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="idea", name="idea_votes_idx"),
                migrations.RenameField(
                    model_name="idea", old_name="vote_count", new_name="votes_folded"
                ),
                migrations.AlterField(
                    model_name="idea",
                    name="votes_folded",
                    field=models.PositiveIntegerField(default=0, db_column="vote_count"),
                ),
                migrations.AddIndex(
                    model_name="idea",
                    index=models.Index(fields=["-votes_folded", "-id"], name="idea_votes_idx"),
                ),
            ],
        ),
        migrations.CreateModel(
            name="VoteTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("shard", models.PositiveSmallIntegerField()),
                ("votes", models.IntegerField(default=0)),
                ("room", models.PositiveIntegerField(default=0)),
                ("threshold", models.PositiveIntegerField(default=0)),
                (
                    "idea",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="ideas.idea",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("idea", "shard"), name="one_vote_tally_per_shard"
                    )
                ],
            },
        ),
    ]
