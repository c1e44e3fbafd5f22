"""Every state change of voting (SPEC section 2): the ballot (``ballot``: every vote and
withdrawal, the counter rows), the voting window's job (``windows``) and who is told
(``notices``). Importable from ``voting.services``."""

from .ballot import (
    TALLY_SHARDS,
    VoteResult,
    network_of,
    vote_cast,
    vote_cast_by_id,
    vote_cast_by_token,
    vote_tallies_fold,
    vote_withdraw,
)
from .counting import vote_cluster_void, vote_hold_release, votes_due_count
from .notices import reviewers
from .windows import voting_windows_close

__all__ = [
    "TALLY_SHARDS",
    "VoteResult",
    "network_of",
    "reviewers",
    "vote_cast",
    "vote_cast_by_id",
    "vote_cast_by_token",
    "vote_tallies_fold",
    "vote_withdraw",
    "vote_cluster_void",
    "vote_hold_release",
    "votes_due_count",
    "voting_windows_close",
]
