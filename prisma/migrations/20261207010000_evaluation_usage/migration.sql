-- Evaluation counts reported by instances (issue 15): minute buckets written by ReportUsage, hour
-- and day buckets recomputed by the worker's rollup, and the last evaluation per flag.

-- CreateTable
CREATE TABLE "flag_usage_buckets" (
    "environmentId" TEXT NOT NULL,
    "namespaceKey" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "count" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flag_usage_buckets_pkey" PRIMARY KEY ("environmentId","namespaceKey","flagKey","granularity","bucketStart","value","reason")
);

-- CreateTable
CREATE TABLE "flag_last_evaluated" (
    "environmentId" TEXT NOT NULL,
    "namespaceKey" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "lastEvaluatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "flag_last_evaluated_pkey" PRIMARY KEY ("environmentId","namespaceKey","flagKey")
);

-- CreateTable
CREATE TABLE "applied_usage_batches" (
    "instanceId" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "applied_usage_batches_pkey" PRIMARY KEY ("instanceId","batchId")
);

-- CreateIndex
CREATE INDEX "flag_usage_buckets_granularity_updatedAt_idx" ON "flag_usage_buckets"("granularity", "updatedAt");

-- CreateIndex
CREATE INDEX "flag_usage_buckets_granularity_bucketStart_idx" ON "flag_usage_buckets"("granularity", "bucketStart");

-- CreateIndex
CREATE INDEX "applied_usage_batches_appliedAt_idx" ON "applied_usage_batches"("appliedAt");

-- AddForeignKey
ALTER TABLE "flag_usage_buckets" ADD CONSTRAINT "flag_usage_buckets_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_last_evaluated" ADD CONSTRAINT "flag_last_evaluated_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
