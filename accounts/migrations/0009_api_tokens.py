"""API tokens that expire, may be revoked, and are kept hashed (issue 26).

DRF's tokens (``authtoken_token``: one per member, never expiring, the key in clear) are moved
here hashed, expiring ``API_TOKEN_TTL_DAYS`` from now, and removed from the old table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_old_tokens(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('authtoken_token') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
        cursor.execute(
            """
            INSERT INTO accounts_apitoken (member_id, name, key_hash, prefix, created_at, expires_at)
            SELECT user_id, 'API', encode(sha256(convert_to(key, 'UTF8')), 'hex'), left(key, 6),
                   created, now() + make_interval(days => %s)
            FROM authtoken_token
            """,
            [settings.API_TOKEN_TTL_DAYS],
        )
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_member_avatar'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, max_length=80)),
                ('key_hash', models.CharField(max_length=64, unique=True)),
                ('prefix', models.CharField(max_length=8)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['member', 'expires_at'], name='apitoken_member_idx')],
            },
        ),
    ]
