-- Outbound webhooks (issue 15): an organisation's hook targets and the log of what was sent.

-- CreateEnum
CREATE TYPE "HookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "outbound_hooks" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT[],
    "secretCiphertext" BYTEA NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "outbound_hooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_hook_deliveries" (
    "id" TEXT NOT NULL,
    "hookId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "HookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "responseStatus" INTEGER,
    "durationMs" INTEGER,
    "responseBody" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "outbound_hook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outbound_hooks_orgId_idx" ON "outbound_hooks"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_hook_deliveries_dedupeKey_key" ON "outbound_hook_deliveries"("dedupeKey");

-- CreateIndex
CREATE INDEX "outbound_hook_deliveries_hookId_createdAt_idx" ON "outbound_hook_deliveries"("hookId", "createdAt");

-- CreateIndex
CREATE INDEX "outbound_hook_deliveries_status_createdAt_idx" ON "outbound_hook_deliveries"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "outbound_hooks" ADD CONSTRAINT "outbound_hooks_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_hook_deliveries" ADD CONSTRAINT "outbound_hook_deliveries_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "outbound_hooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
