"""ideas.rules: one answer for the services, the pages and the template tags."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from core.errors import Conflict, NotAllowed, ValidationFailed
from core.hooks import Hook
from core.phrases import said
from ideas import phrases, rules
from ideas.hooks import suggestion_adopted
from ideas.services import comment_accept, comment_create, comment_hide, idea_withdraw

pytestmark = pytest.mark.django_db


def test_only_the_creator_may_edit_a_draft_or_an_idea_in_voting(idea, creator, member):
    assert rules.may_edit_idea(idea=idea, member=creator) is None
    assert isinstance(rules.may_edit_idea(idea=idea, member=member), NotAllowed)
    assert isinstance(rules.may_edit_idea(idea=idea, member=AnonymousUser()), NotAllowed)
    idea_withdraw(idea=idea, actor=creator)
    assert isinstance(rules.may_edit_idea(idea=idea, member=creator), Conflict)


def test_hidden_content_shows_to_its_author_and_reviewers_only(idea, creator, member, reviewer):
    comment = comment_create(idea=idea, author=member, body="Rude.")
    assert rules.content_visible(hidden_at=None, author_id=member.pk, member=None)
    comment_hide(comment=comment, actor=reviewer, reason="Be kind.")
    seen = [
        rules.content_visible(hidden_at=comment.hidden_at, author_id=member.pk, member=who)
        for who in (member, reviewer, creator, AnonymousUser())
    ]
    assert seen == [True, True, False, False]


def test_only_the_creator_accepts_someone_elses_visible_suggestion(idea, creator, member):
    suggestion = comment_create(idea=idea, author=member, body="Fold it.", is_suggestion=True)
    plain = comment_create(idea=idea, author=member, body="Nice.")
    own = comment_create(idea=idea, author=creator, body="Mine.", is_suggestion=True)
    assert rules.may_accept_suggestion(comment=suggestion, member=creator) is None
    assert isinstance(rules.may_accept_suggestion(comment=suggestion, member=member), NotAllowed)
    assert isinstance(rules.may_accept_suggestion(comment=plain, member=creator), ValidationFailed)
    assert isinstance(rules.may_accept_suggestion(comment=own, member=creator), ValidationFailed)
    comment_accept(comment=suggestion, actor=creator)
    assert isinstance(rules.may_accept_suggestion(comment=suggestion, member=creator), Conflict)


def test_no_accept_button_once_the_idea_is_withdrawn(idea, creator, member):
    """The template used to restate the rule without the idea's state; now it asks the rule."""
    suggestion = comment_create(idea=idea, author=member, body="Fold it.", is_suggestion=True)
    template = Template(
        "{% load ideas_tags %}{% comment_permissions c idea as can %}{{ can.accept }}"
    )
    assert template.render(Context({"c": suggestion, "idea": idea, "user": creator})) == "True"
    idea_withdraw(idea=idea, actor=creator)
    assert template.render(Context({"c": suggestion, "idea": idea, "user": creator})) == "False"
    with pytest.raises(Conflict):
        comment_accept(comment=suggestion, actor=creator)


def test_accepting_goes_through_the_suggestion_adopted_hook(idea, creator, member, monkeypatch):
    calls = []
    stand_in = Hook("suggestion_adopted")
    stand_in.connect(lambda **kwargs: calls.append(kwargs))
    monkeypatch.setattr("ideas.services.comments.suggestion_adopted", stand_in)
    suggestion = comment_create(idea=idea, author=member, body="Fold it.", is_suggestion=True)
    comment_accept(comment=suggestion, actor=creator, points=7)
    assert calls == [
        {
            "idea": idea,
            "member": member,
            "description": said(phrases.SUGGESTION_ADOPTED, value="Fold it."),
            "proposed_points": 7,
        }
    ]


def test_contributions_provides_the_hook():
    assert suggestion_adopted._provider is not None
