-- AlterTable
ALTER TABLE "ProcessedUpdate" ADD COLUMN     "conversation" TEXT,
ADD COLUMN     "seq" BIGINT;

-- CreateTable
CREATE TABLE "PacingSend" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "isGroup" BOOLEAN NOT NULL,
    "at" BIGINT NOT NULL,
    "answeredAt" BIGINT,
    "owner" TEXT NOT NULL,

    CONSTRAINT "PacingSend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PacingGate" (
    "platform" TEXT NOT NULL,
    "pausedUntil" BIGINT NOT NULL DEFAULT 0,
    "turns" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "PacingGate_pkey" PRIMARY KEY ("platform")
);

-- CreateIndex
CREATE INDEX "PacingSend_platform_chatId_at_idx" ON "PacingSend"("platform", "chatId", "at");

-- CreateIndex
CREATE INDEX "PacingSend_platform_at_idx" ON "PacingSend"("platform", "at");

-- CreateIndex
CREATE INDEX "ProcessedUpdate_conversation_seq_idx" ON "ProcessedUpdate"("conversation", "seq");
