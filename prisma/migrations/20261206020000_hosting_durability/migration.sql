-- Hosted environments remember the last revision written or accepted on their branch, so a
-- missing or older repository is reported (and restored from backup), never re-initialised.
ALTER TABLE "environments" ADD COLUMN "hostedRevision" TEXT;
