-- CreateEnum
CREATE TYPE "SsoKind" AS ENUM ('GOOGLE', 'OKTA', 'AUTH0', 'OIDC');

-- CreateTable
CREATE TABLE "sso_connections" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "kind" "SsoKind" NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "clientSecretCiphertext" BYTEA NOT NULL,
    "allowedDomains" TEXT[],
    "roleMapping" JSONB NOT NULL,
    "defaultRole" "Role" NOT NULL DEFAULT 'VIEWER',
    "auth0Organization" TEXT,
    "enforce" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sso_connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sso_login_transactions" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "returnTo" TEXT NOT NULL,
    "expectedIssuer" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sso_login_transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sso_sessions" (
    "sessionId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "idTokenCiphertext" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sso_sessions_pkey" PRIMARY KEY ("sessionId")
);

-- CreateIndex
CREATE INDEX "sso_connections_orgId_idx" ON "sso_connections"("orgId");

-- CreateIndex
CREATE INDEX "sso_login_transactions_expiresAt_idx" ON "sso_login_transactions"("expiresAt");

-- AddForeignKey
ALTER TABLE "sso_connections" ADD CONSTRAINT "sso_connections_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sso_sessions" ADD CONSTRAINT "sso_sessions_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
