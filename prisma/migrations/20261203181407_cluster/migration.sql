-- AlterTable
ALTER TABLE "ProcessedUpdate" ADD COLUMN "conversation" TEXT;
ALTER TABLE "ProcessedUpdate" ADD COLUMN "seq" BIGINT;

-- CreateTable
CREATE TABLE "PacingSend" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "isGroup" BOOLEAN NOT NULL,
    "at" BIGINT NOT NULL,
    "answeredAt" BIGINT,
    "owner" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "PacingGate" (
    "platform" TEXT NOT NULL PRIMARY KEY,
    "pausedUntil" BIGINT NOT NULL DEFAULT 0,
    "turns" BIGINT NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE INDEX "PacingSend_platform_chatId_at_idx" ON "PacingSend"("platform", "chatId", "at");

-- CreateIndex
CREATE INDEX "PacingSend_platform_at_idx" ON "PacingSend"("platform", "at");

-- CreateIndex
CREATE INDEX "ProcessedUpdate_conversation_seq_idx" ON "ProcessedUpdate"("conversation", "seq");
