-- Idle instances sleep (stopped by the driver) and wake on the next request to an environment URL.
ALTER TYPE "InstanceStatus" ADD VALUE 'sleeping';

-- When the instance last served a request, as it reported (the idle clock of INSTANCE_IDLE_SLEEP).
ALTER TABLE "instances" ADD COLUMN "lastActiveAt" TIMESTAMP(3);
