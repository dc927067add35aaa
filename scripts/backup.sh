#!/usr/bin/env bash
# Back up csafe: the PostgreSQL database (pg_dump custom format), uploaded documents
# (CSAFE_MEDIA_ROOT) and finished exports (CSAFE_EXPORT_ROOT), with a SHA-256 list of what was
# written. Redis is not backed up: it holds only queued work, which csafe can lose safely.
#
#   DATABASE_URL=postgres://csafe:...@db:5432/csafe \
#   CSAFE_MEDIA_ROOT=/var/lib/csafe/media CSAFE_EXPORT_ROOT=/var/lib/csafe/exports \
#   scripts/backup.sh /backups/csafe-2025-03-04
#
# The destination must not exist yet (or be empty); it is created readable by its owner only.
# The backup holds every child's record: encrypt it before it leaves the host (docs/backup-restore.md).
set -euo pipefail
umask 077

usage() { echo "usage: DATABASE_URL=postgres://... $0 DESTINATION" >&2; exit 2; }
[ $# -eq 1 ] || usage
dest=$1
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
case $DATABASE_URL in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh backs up PostgreSQL only; DATABASE_URL is not a postgres:// URL" >&2; exit 2 ;;
esac
media=${CSAFE_MEDIA_ROOT:-}
exported=${CSAFE_EXPORT_ROOT:-}

if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
  echo "$dest already holds files: choose a new folder for each backup" >&2
  exit 1
fi
mkdir -p "$dest"

# One consistent snapshot of the database, in the custom format pg_restore reads; without owners
# or grants, so it restores into a database owned by whoever restores it.
pg_dump --dbname="$DATABASE_URL" --format=custom --compress=6 --no-owner --no-privileges \
  --file="$dest/database.dump"

# Files after the database: a document uploaded in between is then a file without a row (removed by
# the nightly orphan sweep), never a row without its file.
archive() {  # archive NAME FOLDER
  if [ -n "$2" ] && [ -d "$2" ]; then
    tar --create --file="$dest/$1.tar" --directory="$2" .
  else
    tar --create --file="$dest/$1.tar" --files-from=/dev/null
  fi
}
archive media "$media"
archive exports "$exported"

{
  echo "csafe backup"
  echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "pg_dump: $(pg_dump --version)"
  echo "media: ${media:-none}"
  echo "exports: ${exported:-none}"
} >"$dest/MANIFEST"
(cd "$dest" && sha256sum database.dump media.tar exports.tar MANIFEST >SHA256SUMS)
echo "backup written to $dest"
