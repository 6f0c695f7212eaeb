-- AlterTable
ALTER TABLE "Announcement" ADD COLUMN "scope" TEXT;

-- AlterTable
ALTER TABLE "ChatGroup" ADD COLUMN "scope" TEXT;

-- AlterTable
ALTER TABLE "Poll" ADD COLUMN "scope" TEXT;

-- AlterTable
ALTER TABLE "RatingCampaign" ADD COLUMN "scope" TEXT;
