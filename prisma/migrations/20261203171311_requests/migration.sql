-- CreateTable
CREATE TABLE "ResidentRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "requesterId" TEXT,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "photo" BLOB,
    "photoName" TEXT,
    "location" TEXT,
    "status" TEXT NOT NULL DEFAULT 'received',
    "assigneeKind" TEXT,
    "assigneeId" TEXT,
    "unitName" TEXT,
    "reply" TEXT,
    "satisfaction" TEXT,
    "dueAt" DATETIME NOT NULL,
    "remindedAt" DATETIME,
    "escalatedAt" DATETIME,
    "proposalId" TEXT,
    "meetingId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "assignedAt" DATETIME,
    "repliedAt" DATETIME,
    "closedAt" DATETIME,
    "ratedAt" DATETIME,
    "erasedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ResidentRequestEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" TEXT,
    "note" TEXT,
    "at" DATETIME NOT NULL,
    CONSTRAINT "ResidentRequestEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ResidentRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RequestSettings" (
    "communityId" TEXT NOT NULL PRIMARY KEY,
    "deadlines" TEXT,
    "headPersonId" TEXT,
    "holidays" TEXT,
    "workdays" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ResidentRequest_communityId_status_idx" ON "ResidentRequest"("communityId", "status");

-- CreateIndex
CREATE INDEX "ResidentRequest_communityId_createdAt_idx" ON "ResidentRequest"("communityId", "createdAt");

-- CreateIndex
CREATE INDEX "ResidentRequest_requesterId_idx" ON "ResidentRequest"("requesterId");

-- CreateIndex
CREATE INDEX "ResidentRequest_assigneeId_status_idx" ON "ResidentRequest"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "ResidentRequest_status_dueAt_idx" ON "ResidentRequest"("status", "dueAt");

-- CreateIndex
CREATE INDEX "ResidentRequest_proposalId_idx" ON "ResidentRequest"("proposalId");

-- CreateIndex
CREATE UNIQUE INDEX "ResidentRequest_communityId_number_key" ON "ResidentRequest"("communityId", "number");

-- CreateIndex
CREATE INDEX "ResidentRequestEvent_requestId_at_idx" ON "ResidentRequestEvent"("requestId", "at");
