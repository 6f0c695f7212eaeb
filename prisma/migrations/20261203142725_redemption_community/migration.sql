-- AlterTable
ALTER TABLE "RedemptionAttempt" ADD COLUMN "community" TEXT;

-- CreateIndex
CREATE INDEX "RedemptionAttempt_community_success_at_idx" ON "RedemptionAttempt"("community", "success", "at");
