"""The read replica (core.dbrouting), from the environment; part of config.settings.

``DATABASE_REPLICA_URL`` names a hot standby of ``DATABASE_URL``'s PostgreSQL (streaming
replication). Unset, there is no ``replica`` alias and every read goes to the primary."""

import dj_database_url

from ..env import env_int, env_list, env_str

DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_ALIAS = "replica" if DATABASE_REPLICA_URL else None
DATABASE_ROUTERS = ["core.dbrouting.ReplicaRouter"]
# A replica further behind than this serves no reads (they go to the primary).
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 2)
# How often each process asks the replica its lag; how long a failed replica is left alone.
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 1)
DATABASE_REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", 5)
# A browser or token that wrote reads from the primary for this long (read-your-writes).
DATABASE_READ_YOUR_WRITES_SECONDS = env_int("DATABASE_READ_YOUR_WRITES_SECONDS", 5)
# The heavy public reads (GET/HEAD, whole paths) that may go to the replica.
DATABASE_REPLICA_PATHS = env_list(
    "DATABASE_REPLICA_PATHS",
    [
        r"/",
        r"/search/",
        r"/ideas/\d+/",
        r"/products/(\d+/)?",
        r"/members/[^/]+/",
        r"/api/v1/ideas/(\d+/(comments/)?)?",
        r"/api/v1/categories/",
    ],
)


def replica_database(primary: dict) -> dict:
    """The replica's connection settings: the primary's options, a short connect timeout (a
    dead replica must not hold a request up), never used to create test databases."""
    replica = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=primary.get("CONN_MAX_AGE", 0), conn_health_checks=True
    )
    options = {**primary.get("OPTIONS", {}), "connect_timeout": 2}
    return {**replica, "OPTIONS": options, "TEST": {"MIRROR": "default"}}
