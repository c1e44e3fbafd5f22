#!/bin/sh
# Run once by the postgres image when it creates the primary's data (docker-compose.yml): lets
# the replica (db-replica) connect for streaming replication with the same password.
set -eu
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
