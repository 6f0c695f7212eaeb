-- AlterTable
ALTER TABLE "ProcessedUpdate" ADD COLUMN "doneAt" DATETIME;
ALTER TABLE "ProcessedUpdate" ADD COLUMN "leaseUntil" DATETIME;
ALTER TABLE "ProcessedUpdate" ADD COLUMN "owner" TEXT;

-- Updates recorded before claims existed were handled to the end: they stay duplicates.
UPDATE "ProcessedUpdate" SET "doneAt" = "handledAt";
