-- CreateTable
CREATE TABLE "DeliberationSetting" (
    "communityId" TEXT NOT NULL,
    "preModeration" BOOLEAN NOT NULL DEFAULT false,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliberationSetting_pkey" PRIMARY KEY ("communityId")
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "moderatorId" TEXT,
    "moderationReason" TEXT,
    "moderatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoteReason" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "personId" TEXT,
    "voterName" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VoteReason_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliberationPeriod" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "votingOpensAt" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "postedAt" TIMESTAMP(3),

    CONSTRAINT "DeliberationPeriod_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClosingStatement" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClosingStatement_pkey" PRIMARY KEY ("id")
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
