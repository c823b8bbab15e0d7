-- An organisation's admins can turn an SSO connection off without deleting it (its callback URL
-- and settings stay); a disabled connection starts and completes no login.
ALTER TABLE "sso_connections" ADD COLUMN "enabled" BOOLEAN NOT NULL DEFAULT true;

-- The client address a session was opened from, shown on the account page next to the user agent.
ALTER TABLE "sessions" ADD COLUMN "ip" TEXT;
