-- CreateTable
CREATE TABLE "DeliberationSetting" (
    "communityId" TEXT NOT NULL PRIMARY KEY,
    "preModeration" BOOLEAN NOT NULL DEFAULT false,
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "moderatorId" TEXT,
    "moderationReason" TEXT,
    "moderatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "VoteReason" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "personId" TEXT,
    "voterName" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DeliberationPeriod" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "votingOpensAt" DATETIME NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL,
    "postedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ClosingStatement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Comment_subjectKind_subjectId_status_createdAt_idx" ON "Comment"("subjectKind", "subjectId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Comment_communityId_status_createdAt_idx" ON "Comment"("communityId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Comment_authorId_idx" ON "Comment"("authorId");

-- CreateIndex
CREATE INDEX "VoteReason_personId_idx" ON "VoteReason"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "VoteReason_pollId_voterKey_key" ON "VoteReason"("pollId", "voterKey");

-- CreateIndex
CREATE INDEX "DeliberationPeriod_postedAt_idx" ON "DeliberationPeriod"("postedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DeliberationPeriod_subjectKind_subjectId_key" ON "DeliberationPeriod"("subjectKind", "subjectId");

-- CreateIndex
CREATE INDEX "ClosingStatement_communityId_createdAt_idx" ON "ClosingStatement"("communityId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClosingStatement_subjectKind_subjectId_key" ON "ClosingStatement"("subjectKind", "subjectId");
