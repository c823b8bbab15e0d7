-- Personal access tokens remember the SSO connections their minting session came through
-- (SAML-authorised-PAT style): an organisation that enforces SSO accepts only tokens authorised
-- for one of its enforced connections. Existing tokens are authorised for none.
ALTER TABLE "personal_access_tokens" ADD COLUMN "ssoConnectionIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Old idempotency records are purged by age.
CREATE INDEX "idempotency_records_createdAt_idx" ON "idempotency_records"("createdAt");
