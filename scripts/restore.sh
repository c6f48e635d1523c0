#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an empty database, all or nothing: a
# restore that stops halfway leaves the database as empty as it was.
#
#   DATABASE_URL=postgresql://.../new_database scripts/restore.sh FILE
set -euo pipefail
file="${1:?name the backup file to restore}"
url="${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
url="${url/postgresql+psycopg:/postgresql:}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$file"
echo "restored $file"
