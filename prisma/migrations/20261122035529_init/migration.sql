-- CreateTable
CREATE TABLE "Announcement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "image" BLOB,
    "imageName" TEXT,
    "groupIds" TEXT,
    "pin" BOOLEAN NOT NULL DEFAULT false,
    "sendAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    CONSTRAINT "Announcement_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Disclosure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodKey" TEXT,
    "latestVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Disclosure_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DisclosureVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disclosureId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'text',
    "statement" TEXT,
    "reason" TEXT,
    "publishedById" TEXT,
    "publishedVia" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "chainSeq" INTEGER NOT NULL,
    "communityId" TEXT NOT NULL,
    CONSTRAINT "DisclosureVersion_disclosureId_fkey" FOREIGN KEY ("disclosureId") REFERENCES "Disclosure" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DisclosureChainHead" (
    "communityId" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "platform" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "handledAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("platform", "updateId")
);

-- CreateTable
CREATE TABLE "SceneSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "scene" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "SceneSession_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChoiceMemory" (
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "actions" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("platform", "chatId")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "communityId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'send',
    "payload" TEXT NOT NULL,
    "image" BLOB,
    "imageName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "partsSent" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "refType" TEXT,
    "refId" TEXT,
    "platformMessageId" TEXT,
    "pin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "JobRun" (
    "job" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "ranAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "result" TEXT,

    PRIMARY KEY ("job", "key")
);

-- CreateTable
CREATE TABLE "Poll" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shortId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "question" TEXT NOT NULL,
    "description" TEXT,
    "maxChoices" INTEGER NOT NULL DEFAULT 1,
    "electorate" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "allowChange" BOOLEAN NOT NULL DEFAULT true,
    "opensAt" DATETIME NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "quorumKind" TEXT NOT NULL DEFAULT 'none',
    "quorumValue" REAL NOT NULL DEFAULT 0,
    "rule" TEXT NOT NULL DEFAULT 'majority',
    "liveResults" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'open',
    "cancelReason" TEXT,
    "electorateSize" INTEGER,
    "result" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstVoteAt" DATETIME,
    "closedAt" DATETIME,
    "postedAt" DATETIME,
    "inPersonVoters" INTEGER,
    "remindedAt" DATETIME,
    CONSTRAINT "Poll_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PollOption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'custom',
    "proposalId" TEXT,
    CONSTRAINT "PollOption_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Ballot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "personId" TEXT,
    "voterName" TEXT,
    "advisory" BOOLEAN NOT NULL DEFAULT false,
    "castAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Ballot_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BallotChoice" (
    "ballotId" TEXT NOT NULL,
    "optionId" TEXT NOT NULL,

    PRIMARY KEY ("ballotId", "optionId"),
    CONSTRAINT "BallotChoice_ballotId_fkey" FOREIGN KEY ("ballotId") REFERENCES "Ballot" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BallotChoice_optionId_fkey" FOREIGN KEY ("optionId") REFERENCES "PollOption" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InPersonCount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "optionId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "note" TEXT,
    "enteredById" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InPersonCount_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Proposal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "costFen" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "statusReason" TEXT,
    "mergedIntoId" TEXT,
    "approvedBudgetFen" INTEGER,
    "implementer" TEXT,
    "progressPercent" INTEGER NOT NULL DEFAULT 0,
    "pollId" TEXT,
    "satisfactionRate" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "submittedAt" DATETIME,
    "decidedAt" DATETIME,
    "completedAt" DATETIME,
    "evaluatedAt" DATETIME,
    CONSTRAINT "Proposal_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProposalPhoto" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "proposalId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "fileRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'photo',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProposalPhoto_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProposalSecond" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "proposalId" TEXT NOT NULL,
    "personId" TEXT,
    "voterKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProposalSecond_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProposalEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "proposalId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "actorId" TEXT,
    "reason" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProposalEvent_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProposalProgress" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "proposalId" TEXT NOT NULL,
    "percent" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "photoRef" TEXT,
    "photoPlatform" TEXT,
    "actorId" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProposalProgress_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RatingTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "systemKey" TEXT,
    "proposalId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RatingTarget_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Rating" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "targetId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "raterKey" TEXT NOT NULL,
    "overall" INTEGER NOT NULL,
    "dimensions" TEXT,
    "comment" TEXT,
    "commentStatus" TEXT NOT NULL DEFAULT 'none',
    "reviewedById" TEXT,
    "reviewedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Rating_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "RatingTarget" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RatingCampaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "opensAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closesAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    CONSTRAINT "RatingCampaign_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RatingCampaign_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "RatingTarget" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Community" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "street" TEXT,
    "district" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "proposalCategories" TEXT,
    "secondsThreshold" INTEGER NOT NULL DEFAULT 10,
    "proposalCostCapFen" INTEGER NOT NULL DEFAULT 50000000,
    "ratingDimensions" TEXT,
    "ratingThreshold" REAL NOT NULL DEFAULT 0.6,
    "ratingMinAnswers" INTEGER NOT NULL DEFAULT 30,
    "disclosureCategories" TEXT,
    "digestCron" TEXT NOT NULL DEFAULT '0 9 * * 1',
    "digestQuietMode" TEXT NOT NULL DEFAULT 'short',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ChatGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "title" TEXT,
    "communityId" TEXT,
    "locale" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "boundAt" DATETIME,
    "boundById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChatGroup_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "displayName" TEXT NOT NULL,
    "locale" TEXT,
    "clientLanguage" TEXT,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "remindersOff" BOOLEAN NOT NULL DEFAULT false,
    "activeCommunityId" TEXT,
    "erasedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Identity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "username" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Identity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Household" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Household_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "householdId" TEXT,
    "source" TEXT NOT NULL,
    "grantedById" TEXT,
    "grantedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Membership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Membership_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Membership_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VerificationCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "unit" TEXT,
    "role" TEXT NOT NULL DEFAULT 'verified',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "redeemedAt" DATETIME,
    "redeemedById" TEXT,
    "revokedAt" DATETIME,
    CONSTRAINT "VerificationCode_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RedemptionAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "IdentityLinkCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IdentityLinkCode_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "via" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "communityId" TEXT,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" TEXT
);

-- CreateIndex
CREATE INDEX "Announcement_status_sendAt_idx" ON "Announcement"("status", "sendAt");

-- CreateIndex
CREATE INDEX "Announcement_communityId_createdAt_idx" ON "Announcement"("communityId", "createdAt");

-- CreateIndex
CREATE INDEX "Disclosure_communityId_category_idx" ON "Disclosure"("communityId", "category");

-- CreateIndex
CREATE INDEX "Disclosure_communityId_createdAt_idx" ON "Disclosure"("communityId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Disclosure_communityId_number_key" ON "Disclosure"("communityId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "DisclosureVersion_hash_key" ON "DisclosureVersion"("hash");

-- CreateIndex
CREATE INDEX "DisclosureVersion_communityId_publishedAt_idx" ON "DisclosureVersion"("communityId", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DisclosureVersion_disclosureId_version_key" ON "DisclosureVersion"("disclosureId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "DisclosureVersion_communityId_chainSeq_key" ON "DisclosureVersion"("communityId", "chainSeq");

-- CreateIndex
CREATE INDEX "ProcessedUpdate_handledAt_idx" ON "ProcessedUpdate"("handledAt");

-- CreateIndex
CREATE INDEX "SceneSession_expiresAt_idx" ON "SceneSession"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "SceneSession_personId_platform_chatId_key" ON "SceneSession"("personId", "platform", "chatId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_key_key" ON "OutboxMessage"("key");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_platform_chatId_status_idx" ON "OutboxMessage"("platform", "chatId", "status");

-- CreateIndex
CREATE INDEX "OutboxMessage_refType_refId_idx" ON "OutboxMessage"("refType", "refId");

-- CreateIndex
CREATE INDEX "OutboxMessage_communityId_createdAt_idx" ON "OutboxMessage"("communityId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Poll_shortId_key" ON "Poll"("shortId");

-- CreateIndex
CREATE INDEX "Poll_status_closesAt_idx" ON "Poll"("status", "closesAt");

-- CreateIndex
CREATE UNIQUE INDEX "Poll_communityId_number_key" ON "Poll"("communityId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "PollOption_pollId_position_key" ON "PollOption"("pollId", "position");

-- CreateIndex
CREATE INDEX "Ballot_pollId_castAt_idx" ON "Ballot"("pollId", "castAt");

-- CreateIndex
CREATE INDEX "Ballot_pollId_id_idx" ON "Ballot"("pollId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Ballot_pollId_voterKey_key" ON "Ballot"("pollId", "voterKey");

-- CreateIndex
CREATE INDEX "BallotChoice_optionId_idx" ON "BallotChoice"("optionId");

-- CreateIndex
CREATE UNIQUE INDEX "InPersonCount_pollId_optionId_key" ON "InPersonCount"("pollId", "optionId");

-- CreateIndex
CREATE INDEX "Proposal_communityId_status_idx" ON "Proposal"("communityId", "status");

-- CreateIndex
CREATE INDEX "Proposal_authorId_idx" ON "Proposal"("authorId");

-- CreateIndex
CREATE INDEX "Proposal_pollId_idx" ON "Proposal"("pollId");

-- CreateIndex
CREATE UNIQUE INDEX "Proposal_communityId_number_key" ON "Proposal"("communityId", "number");

-- CreateIndex
CREATE INDEX "ProposalPhoto_proposalId_idx" ON "ProposalPhoto"("proposalId");

-- CreateIndex
CREATE INDEX "ProposalSecond_personId_idx" ON "ProposalSecond"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "ProposalSecond_proposalId_voterKey_key" ON "ProposalSecond"("proposalId", "voterKey");

-- CreateIndex
CREATE INDEX "ProposalEvent_proposalId_at_idx" ON "ProposalEvent"("proposalId", "at");

-- CreateIndex
CREATE INDEX "ProposalProgress_proposalId_at_idx" ON "ProposalProgress"("proposalId", "at");

-- CreateIndex
CREATE INDEX "RatingTarget_communityId_idx" ON "RatingTarget"("communityId");

-- CreateIndex
CREATE UNIQUE INDEX "RatingTarget_communityId_systemKey_key" ON "RatingTarget"("communityId", "systemKey");

-- CreateIndex
CREATE INDEX "Rating_targetId_period_idx" ON "Rating"("targetId", "period");

-- CreateIndex
CREATE INDEX "Rating_commentStatus_idx" ON "Rating"("commentStatus");

-- CreateIndex
CREATE UNIQUE INDEX "Rating_targetId_period_raterKey_key" ON "Rating"("targetId", "period", "raterKey");

-- CreateIndex
CREATE INDEX "RatingCampaign_status_closesAt_idx" ON "RatingCampaign"("status", "closesAt");

-- CreateIndex
CREATE INDEX "RatingCampaign_communityId_status_idx" ON "RatingCampaign"("communityId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RatingCampaign_targetId_period_key" ON "RatingCampaign"("targetId", "period");

-- CreateIndex
CREATE UNIQUE INDEX "Community_slug_key" ON "Community"("slug");

-- CreateIndex
CREATE INDEX "ChatGroup_communityId_idx" ON "ChatGroup"("communityId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatGroup_platform_chatId_key" ON "ChatGroup"("platform", "chatId");

-- CreateIndex
CREATE INDEX "Identity_personId_idx" ON "Identity"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_platform_platformUserId_key" ON "Identity"("platform", "platformUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Household_communityId_unit_key" ON "Household"("communityId", "unit");

-- CreateIndex
CREATE INDEX "Membership_communityId_role_idx" ON "Membership"("communityId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_personId_communityId_role_key" ON "Membership"("personId", "communityId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationCode_codeHash_key" ON "VerificationCode"("codeHash");

-- CreateIndex
CREATE INDEX "VerificationCode_communityId_createdAt_idx" ON "VerificationCode"("communityId", "createdAt");

-- CreateIndex
CREATE INDEX "RedemptionAttempt_platform_platformUserId_at_idx" ON "RedemptionAttempt"("platform", "platformUserId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "IdentityLinkCode_codeHash_key" ON "IdentityLinkCode"("codeHash");

-- CreateIndex
CREATE INDEX "AuditEntry_communityId_at_idx" ON "AuditEntry"("communityId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");
