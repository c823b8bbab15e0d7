-- Provisioning: instance credentials (hash only), convergence lease, last step and last report.
ALTER TABLE "instances" ADD COLUMN "secretHash" TEXT,
ADD COLUMN "step" TEXT,
ADD COLUMN "leaseOwner" TEXT,
ADD COLUMN "leaseUntil" TIMESTAMP(3),
ADD COLUMN "reportedAt" TIMESTAMP(3);
