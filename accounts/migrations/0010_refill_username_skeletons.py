"""Skeletons again: more look-alikes are mapped (Latin small capitals, IPA, Lisu, Cherokee,
Armenian letters, "rn" as "m"; accounts.usernames), so a stored skeleton may have changed."""

from django.db import migrations


def refill_skeletons(apps, schema_editor):
    from accounts.usernames import skeleton

    User = apps.get_model("accounts", "User")
    changed = []
    for user in User.objects.only("id", "username", "username_skeleton").iterator(chunk_size=2000):
        new = skeleton(user.username)
        if new != user.username_skeleton:
            user.username_skeleton = new
            changed.append(user)
    User.objects.bulk_update(changed, ["username_skeleton"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_api_tokens")]

    operations = [migrations.RunPython(refill_skeletons, migrations.RunPython.noop, elidable=True)]
