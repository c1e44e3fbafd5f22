"""The benchmark's URLconf: the real site plus the bare comparison views (bench only)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from accounts.tokens import key_hash
from voting.models import Vote

INSERT = (
    f"INSERT INTO {Vote._meta.db_table} (idea_id, member_id, created_at) "
    "VALUES (%s, %s, now()) ON CONFLICT (idea_id, member_id) DO NOTHING"
)


def bare_vote_session(request, idea_id: int):
    """The floor for browser votes: a plain Django view (the usual middleware, CSRF, the
    session's request.user) that runs one raw ``INSERT … ON CONFLICT DO NOTHING``: no checks,
    no counter, no DRF, no throttles."""
    if request.method != "POST" or not request.user.is_authenticated:
        return HttpResponse(status=403)
    with connection.cursor() as cursor:
        cursor.execute(INSERT, [idea_id, request.user.pk])
    return HttpResponse(status=201)


@csrf_exempt
def bare_vote_token(request, idea_id: int):
    """The floor for API-token votes: even the member is found inside the one statement."""
    token = request.headers.get("Authorization", "").removeprefix("Token ")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Vote._meta.db_table} (idea_id, member_id, created_at) "
            "SELECT %s, member_id, now() FROM accounts_apitoken WHERE key_hash = %s "
            "AND expires_at > now() ON CONFLICT (idea_id, member_id) DO NOTHING",
            [idea_id, key_hash(token)],
        )
    return HttpResponse(status=201)


urlpatterns = [
    path("bench/bare-vote/session/<id:idea_id>/", bare_vote_session),
    path("bench/bare-vote/token/<id:idea_id>/", bare_vote_token),
    path("", include("config.urls")),
]
