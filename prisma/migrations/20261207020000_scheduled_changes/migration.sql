-- CreateEnum
CREATE TYPE "ScheduledChangeStatus" AS ENUM ('AWAITING_APPROVAL', 'PENDING', 'APPLYING', 'APPLIED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "scheduled_changes" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT,
    "flagKey" TEXT,
    "payload" JSONB NOT NULL,
    "baseRevision" TEXT NOT NULL,
    "proposalId" TEXT,
    "summary" TEXT NOT NULL,
    "runAt" TIMESTAMP(3) NOT NULL,
    "status" "ScheduledChangeStatus" NOT NULL DEFAULT 'PENDING',
    "createdById" TEXT NOT NULL,
    "createdByEmail" TEXT NOT NULL,
    "approvedById" TEXT,
    "approvedByEmail" TEXT,
    "approvedAt" TIMESTAMP(3),
    "cancelledByEmail" TEXT,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "appliedRevision" TEXT,
    "failureReason" TEXT,
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "scheduled_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "scheduled_changes_status_runAt_idx" ON "scheduled_changes"("status", "runAt");

-- CreateIndex
CREATE INDEX "scheduled_changes_environmentId_namespace_flagKey_idx" ON "scheduled_changes"("environmentId", "namespace", "flagKey");

-- AddForeignKey
ALTER TABLE "scheduled_changes" ADD CONSTRAINT "scheduled_changes_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scheduled_changes" ADD CONSTRAINT "scheduled_changes_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
