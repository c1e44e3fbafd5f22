import pytest
from django.core.management import CommandError, call_command

from accounts.roles import is_finance, is_reviewer

pytestmark = pytest.mark.django_db


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_grant_role_makes_a_member_a_reviewer_and_revoke_undoes_it(make_user):
    user = make_user("rita")
    assert not is_reviewer(user)
    call_command("grant_role", "rita", "reviewer")
    assert is_reviewer(_fresh(user))
    assert not is_finance(_fresh(user))
    call_command("grant_role", "rita", "reviewer", "--revoke")
    assert not is_reviewer(_fresh(user))


def test_grant_role_finance(make_user):
    user = make_user("fiona")
    call_command("grant_role", "fiona", "finance")
    assert is_finance(_fresh(user))


def test_grant_role_refuses_an_unknown_user_or_role(make_user):
    make_user("rita")
    with pytest.raises(CommandError, match="No user named"):
        call_command("grant_role", "nobody", "reviewer")
    with pytest.raises(CommandError):
        call_command("grant_role", "rita", "emperor")


def test_role_groups_exist_from_the_migration():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Reviewers", "Finance"}
