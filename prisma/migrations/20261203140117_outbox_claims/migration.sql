-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "attemptStartedAt" DATETIME;
ALTER TABLE "OutboxMessage" ADD COLUMN "claimedBy" TEXT;
ALTER TABLE "OutboxMessage" ADD COLUMN "leaseUntil" DATETIME;
