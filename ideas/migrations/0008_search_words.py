"""Chinese words in full-text search.

``search_words`` holds the words of the Chinese runs of title, summary and body (one line each,
``ideas.search``); the generated ``search_vector`` now reads each part together with
its words, still weighted A (title), B (summary), C (body). Existing ideas get their words here.
"""

from django.db import migrations

import ideas.models
from ideas.search import CJK, idea_search_words

VECTOR = """
    ALTER TABLE ideas_idea ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig,
            coalesce(title, '') || ' ' || split_part(search_words, E'\\n', 1)), 'A') ||
        setweight(to_tsvector('english'::regconfig,
            coalesce(summary, '') || ' ' || split_part(search_words, E'\\n', 2)), 'B') ||
        setweight(to_tsvector('english'::regconfig,
            left(coalesce(body, ''), 100000) || ' ' || split_part(search_words, E'\\n', 3)), 'C')
    ) STORED
"""
OLD_VECTOR = """
    ALTER TABLE ideas_idea ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, left(coalesce(body, ''), 100000)), 'C')
    ) STORED
"""
INDEX = "CREATE INDEX idea_search_vector_gin ON ideas_idea USING gin (search_vector)"
DROP = [
    "DROP INDEX IF EXISTS idea_search_vector_gin",
    "ALTER TABLE ideas_idea DROP COLUMN search_vector",
]


def fill_words(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    changed = []
    for idea in Idea.objects.only("id", "title", "summary", "body").iterator(chunk_size=2000):
        if CJK.search(f"{idea.title}{idea.summary}{idea.body}"):
            idea.search_words = idea_search_words(idea.title, idea.summary, idea.body)
            changed.append(idea)
    Idea.objects.bulk_update(changed, ["search_words"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0007_comment_thread_order_index")]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="search_words",
            field=ideas.models.SearchWordsField(default="", editable=False),
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
        migrations.RunSQL([*DROP, VECTOR, INDEX], [*DROP, OLD_VECTOR, INDEX]),
    ]
