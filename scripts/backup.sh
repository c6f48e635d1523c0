#!/usr/bin/env bash
# Back up the app's PostgreSQL database to one file (pg_dump's custom format), restored with
# scripts/restore.sh. What children wrote stays encrypted in the file: keep ENCRYPTION_KEYS
# somewhere else, because a backup without its keys cannot be read, and the keys beside the
# backup protect nothing. docs/deploy.md says how often and where.
#
#   DATABASE_URL=postgresql://... scripts/backup.sh [FILE]
set -euo pipefail
url="${DATABASE_URL:?set DATABASE_URL to the database to back up}"
url="${url/postgresql+psycopg:/postgresql:}" # the app's SQLAlchemy URL, as libpq reads it
file="${1:-our-promise-$(date -u +%Y%m%dT%H%M%SZ).dump}"
pg_dump --format=custom --no-owner --no-privileges --file="$file" "$url"
echo "$file"
