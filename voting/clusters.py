"""Clusters of votes that fake accounts leave (SPEC section 2, "Votes that fake accounts cannot
buy"): votes on one idea from *new* accounts (younger than ``VOTE_CLUSTER_YOUNG`` when they
voted) that share a network (/24 IPv4, /48 IPv6), a device cookie, or a sign-up burst (accounts
created within ``VOTE_CLUSTER_BURST`` of each other).

Networks and devices are stored as keyed hashes (HMAC-SHA-256 with a key derived from
``SECRET_KEY``): equal prefixes give equal hashes, so clusters are found, but the stored value
names no address. Reads only; the ballot (``voting.services.ballot``) asks ``flagged_votes``
when an idea's count reaches its threshold, and the reviewers' queue shows ``vote_clusters``.
"""

import functools
import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from .models import Vote

NETWORK_MIN = 5  # new accounts voting from one network: a cluster
DEVICE_MIN = 3  # new accounts voting from one device cookie: a cluster
BURST_MIN = 5  # new accounts created within VOTE_CLUSTER_BURST of each other: a cluster

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")


@functools.cache
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"ahhha-vote-clusters:" + secret.encode()).digest()


def keyed_hash(value: str, *, kind: str) -> str:
    """A short keyed hash of a network prefix or a device id ("" for "")."""
    if not value:
        return ""
    digest = hmac.new(_key(settings.SECRET_KEY), f"{kind}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def network_prefix(address: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address: enough to see a ring, not a person.
    A plain IPv4 address is read by a pattern (``ipaddress`` costs more than the vote's SQL)."""
    if not address:
        return ""
    plain = _IPV4.fullmatch(address.strip())
    if plain:
        return f"{plain[1]}.{plain[2]}.{plain[3]}.0/24"
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def network_of(address: str | None) -> str:
    """What is stored of a voter's address: the keyed hash of its network prefix."""
    return keyed_hash(network_prefix(address), kind="network")


def device_of(device_id: str | None) -> str:
    """What is stored of a voter's device cookie (``core.device``): its keyed hash."""
    return keyed_hash((device_id or "")[:64], kind="device")


@dataclass
class Cluster:
    key: str  # "network:<hash>", "device:<hash>", "signup:<ISO time of the first sign-up>"
    kind: str  # network, device, signup
    votes: list = field(default_factory=list)  # Vote rows, with their member

    @property
    def counted(self) -> int:
        return sum(1 for vote in self.votes if vote.counted)


def _young(vote) -> bool:
    return vote.created_at - vote.member.date_joined < settings.VOTE_CLUSTER_YOUNG


def _bursts(votes: list) -> list[Cluster]:
    """Sign-up bursts: at least BURST_MIN of these voters' accounts created within
    VOTE_CLUSTER_BURST of the first of them (windows from each sign-up, overlaps merged)."""
    ordered = sorted(votes, key=lambda v: v.member.date_joined)
    clusters: list[Cluster] = []
    start, window = 0, settings.VOTE_CLUSTER_BURST
    while start < len(ordered):
        first: datetime = ordered[start].member.date_joined
        end = start
        while end < len(ordered) and ordered[end].member.date_joined - first <= window:
            end += 1
        if end - start >= BURST_MIN:
            clusters.append(Cluster(f"signup:{first.isoformat()}", "signup", ordered[start:end]))
            start = end
        else:
            start += 1
    return clusters


def vote_clusters(*, idea_id: int) -> list[Cluster]:
    """The clusters among the idea's votes that stand (not voided), biggest first."""
    return vote_clusters_of(idea_ids=[idea_id])[idea_id]


def vote_clusters_of(*, idea_ids: list[int]) -> dict[int, list[Cluster]]:
    """``vote_clusters`` of each of these ideas, their votes read in one query."""
    votes: dict[int, list] = {pk: [] for pk in idea_ids}
    standing = (
        Vote.objects.filter(idea_id__in=idea_ids, voided__isnull=True)
        .select_related("member")
        .order_by("created_at", "id")
    )
    for vote in standing:
        if _young(vote):
            votes[vote.idea_id].append(vote)
    return {pk: _clusters(found) for pk, found in votes.items()}


def _clusters(votes: list) -> list[Cluster]:
    groups: dict[tuple[str, str], list] = {}
    for vote in votes:
        if vote.network:
            groups.setdefault(("network", vote.network), []).append(vote)
        if vote.device:
            groups.setdefault(("device", vote.device), []).append(vote)
    least = {"network": NETWORK_MIN, "device": DEVICE_MIN}
    clusters = [
        Cluster(f"{kind}:{value}", kind, members)
        for (kind, value), members in groups.items()
        if len(members) >= least[kind]
    ]
    clusters += _bursts(votes)
    return sorted(clusters, key=lambda c: (-len(c.votes), c.key))


def flagged_counted(clusters: list[Cluster]) -> int:
    """How many counted votes are in at least one cluster."""
    return len({vote.pk for cluster in clusters for vote in cluster.votes if vote.counted})


def cluster_window(cluster: Cluster) -> tuple[datetime, datetime]:
    """When the cluster's votes were cast: first and last."""
    times = [vote.created_at for vote in cluster.votes]
    return min(times), max(times)
