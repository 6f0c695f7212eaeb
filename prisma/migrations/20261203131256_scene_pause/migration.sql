-- AlterTable
ALTER TABLE "SceneSession" ADD COLUMN "pausedAt" DATETIME;
