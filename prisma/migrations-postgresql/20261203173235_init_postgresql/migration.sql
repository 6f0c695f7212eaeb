-- CreateTable
CREATE TABLE "Announcement" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "image" BYTEA,
    "imageName" TEXT,
    "groupIds" TEXT,
    "pin" BOOLEAN NOT NULL DEFAULT false,
    "sendAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Announcement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsoleLink" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "ConsoleLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsoleSession" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "linkId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ConsoleSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsoleSignInAttempt" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleSignInAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsoleSubmission" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "formId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsoleDraft" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleDraft_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Disclosure" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodKey" TEXT,
    "latestVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Disclosure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisclosureVersion" (
    "id" TEXT NOT NULL,
    "disclosureId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'text',
    "statement" TEXT,
    "reason" TEXT,
    "publishedById" TEXT,
    "publishedVia" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "chainSeq" INTEGER NOT NULL,
    "communityId" TEXT NOT NULL,

    CONSTRAINT "DisclosureVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisclosureChainHead" (
    "communityId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DisclosureChainHead_pkey" PRIMARY KEY ("communityId")
);

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "platform" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "handledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "owner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "ProcessedUpdate_pkey" PRIMARY KEY ("platform","updateId")
);

-- CreateTable
CREATE TABLE "SceneSession" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "scene" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "pausedAt" TIMESTAMP(3),

    CONSTRAINT "SceneSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChoiceMemory" (
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "actions" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChoiceMemory_pkey" PRIMARY KEY ("platform","chatId")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "communityId" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'send',
    "payload" TEXT NOT NULL,
    "image" BYTEA,
    "imageName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "partsSent" INTEGER NOT NULL DEFAULT 0,
    "attemptStartedAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "refType" TEXT,
    "refId" TEXT,
    "platformMessageId" TEXT,
    "pin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "job" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "ranAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "result" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("job","key")
);

-- CreateTable
CREATE TABLE "Poll" (
    "id" TEXT NOT NULL,
    "shortId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "question" TEXT NOT NULL,
    "description" TEXT,
    "maxChoices" INTEGER NOT NULL DEFAULT 1,
    "electorate" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "allowChange" BOOLEAN NOT NULL DEFAULT true,
    "opensAt" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "quorumKind" TEXT NOT NULL DEFAULT 'none',
    "quorumValue" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "rule" TEXT NOT NULL DEFAULT 'majority',
    "liveResults" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'open',
    "cancelReason" TEXT,
    "electorateSize" INTEGER,
    "result" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstVoteAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "postedAt" TIMESTAMP(3),
    "inPersonVoters" INTEGER,
    "remindedAt" TIMESTAMP(3),

    CONSTRAINT "Poll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PollOption" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'custom',
    "proposalId" TEXT,

    CONSTRAINT "PollOption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PollParticipation" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "personId" TEXT,
    "voterName" TEXT,
    "advisory" BOOLEAN NOT NULL DEFAULT false,
    "castAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PollParticipation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ballot" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "advisory" BOOLEAN NOT NULL DEFAULT false,
    "voterHash" TEXT,
    "participationId" TEXT,

    CONSTRAINT "Ballot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BallotChoice" (
    "ballotId" TEXT NOT NULL,
    "optionId" TEXT NOT NULL,

    CONSTRAINT "BallotChoice_pkey" PRIMARY KEY ("ballotId","optionId")
);

-- CreateTable
CREATE TABLE "InPersonCount" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "optionId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "note" TEXT,
    "enteredById" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InPersonCount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Proposal" (
    "id" TEXT NOT NULL,
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
    "satisfactionRate" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "submittedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "evaluatedAt" TIMESTAMP(3),

    CONSTRAINT "Proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalPhoto" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "fileRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'photo',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProposalPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalSecond" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "personId" TEXT,
    "voterKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProposalSecond_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalEvent" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "actorId" TEXT,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProposalEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalProgress" (
    "id" TEXT NOT NULL,
    "proposalId" TEXT NOT NULL,
    "percent" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "photoRef" TEXT,
    "photoPlatform" TEXT,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProposalProgress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RatingTarget" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "systemKey" TEXT,
    "proposalId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RatingTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rating" (
    "id" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "raterKey" TEXT NOT NULL,
    "overall" INTEGER NOT NULL,
    "dimensions" TEXT,
    "comment" TEXT,
    "commentStatus" TEXT NOT NULL DEFAULT 'none',
    "reviewedById" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RatingCampaign" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "opensAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "RatingCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Building" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Building_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResidentGroup" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResidentGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BuildingLead" (
    "id" TEXT NOT NULL,
    "buildingId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "grantedById" TEXT,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BuildingLead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Community" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "street" TEXT,
    "district" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "proposalCategories" TEXT,
    "secondsThreshold" INTEGER NOT NULL DEFAULT 10,
    "proposalCostCapFen" INTEGER NOT NULL DEFAULT 50000000,
    "ratingDimensions" TEXT,
    "ratingThreshold" DOUBLE PRECISION NOT NULL DEFAULT 0.6,
    "ratingMinAnswers" INTEGER NOT NULL DEFAULT 30,
    "disclosureCategories" TEXT,
    "digestCron" TEXT NOT NULL DEFAULT '0 9 * * 1',
    "digestQuietMode" TEXT NOT NULL DEFAULT 'short',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Community_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatGroup" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "title" TEXT,
    "communityId" TEXT,
    "locale" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "boundAt" TIMESTAMP(3),
    "boundById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "locale" TEXT,
    "clientLanguage" TEXT,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "remindersOff" BOOLEAN NOT NULL DEFAULT false,
    "activeCommunityId" TEXT,
    "erasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Identity" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "username" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Household" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "buildingId" TEXT,
    "groupId" TEXT,
    "residents" INTEGER,
    "kind" TEXT,
    "headName" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "inRegister" BOOLEAN NOT NULL DEFAULT false,
    "importedAt" TIMESTAMP(3),
    "deactivatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Household_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "householdId" TEXT,
    "source" TEXT NOT NULL,
    "grantedById" TEXT,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationCode" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "unit" TEXT,
    "role" TEXT NOT NULL DEFAULT 'verified',
    "householdId" TEXT,
    "buildingId" TEXT,
    "purpose" TEXT NOT NULL DEFAULT 'code',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "redeemedAt" TIMESTAMP(3),
    "redeemedById" TEXT,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "VerificationCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RedemptionAttempt" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "community" TEXT,

    CONSTRAINT "RedemptionAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdentityLinkCode" (
    "id" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdentityLinkCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "via" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "communityId" TEXT,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Announcement_status_sendAt_idx" ON "Announcement"("status", "sendAt");

-- CreateIndex
CREATE INDEX "Announcement_communityId_createdAt_idx" ON "Announcement"("communityId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleLink_tokenHash_key" ON "ConsoleLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ConsoleLink_personId_createdAt_idx" ON "ConsoleLink"("personId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleSession_tokenHash_key" ON "ConsoleSession"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleSession_linkId_key" ON "ConsoleSession"("linkId");

-- CreateIndex
CREATE INDEX "ConsoleSession_personId_idx" ON "ConsoleSession"("personId");

-- CreateIndex
CREATE INDEX "ConsoleSignInAttempt_source_at_idx" ON "ConsoleSignInAttempt"("source", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleSubmission_sessionId_formId_key" ON "ConsoleSubmission"("sessionId", "formId");

-- CreateIndex
CREATE INDEX "ConsoleDraft_sessionId_idx" ON "ConsoleDraft"("sessionId");

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
CREATE INDEX "PollParticipation_pollId_castAt_idx" ON "PollParticipation"("pollId", "castAt");

-- CreateIndex
CREATE INDEX "PollParticipation_pollId_id_idx" ON "PollParticipation"("pollId", "id");

-- CreateIndex
CREATE INDEX "PollParticipation_personId_idx" ON "PollParticipation"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "PollParticipation_pollId_voterKey_key" ON "PollParticipation"("pollId", "voterKey");

-- CreateIndex
CREATE UNIQUE INDEX "Ballot_participationId_key" ON "Ballot"("participationId");

-- CreateIndex
CREATE UNIQUE INDEX "Ballot_pollId_voterHash_key" ON "Ballot"("pollId", "voterHash");

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
CREATE UNIQUE INDEX "Building_communityId_name_key" ON "Building"("communityId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ResidentGroup_communityId_name_key" ON "ResidentGroup"("communityId", "name");

-- CreateIndex
CREATE INDEX "BuildingLead_personId_communityId_idx" ON "BuildingLead"("personId", "communityId");

-- CreateIndex
CREATE UNIQUE INDEX "BuildingLead_buildingId_personId_key" ON "BuildingLead"("buildingId", "personId");

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
CREATE INDEX "Household_communityId_active_idx" ON "Household"("communityId", "active");

-- CreateIndex
CREATE INDEX "Household_buildingId_idx" ON "Household"("buildingId");

-- CreateIndex
CREATE INDEX "Household_groupId_idx" ON "Household"("groupId");

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
CREATE INDEX "VerificationCode_householdId_idx" ON "VerificationCode"("householdId");

-- CreateIndex
CREATE INDEX "RedemptionAttempt_platform_platformUserId_at_idx" ON "RedemptionAttempt"("platform", "platformUserId", "at");

-- CreateIndex
CREATE INDEX "RedemptionAttempt_community_success_at_idx" ON "RedemptionAttempt"("community", "success", "at");

-- CreateIndex
CREATE UNIQUE INDEX "IdentityLinkCode_codeHash_key" ON "IdentityLinkCode"("codeHash");

-- CreateIndex
CREATE INDEX "AuditEntry_communityId_at_idx" ON "AuditEntry"("communityId", "at");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- AddForeignKey
ALTER TABLE "Announcement" ADD CONSTRAINT "Announcement_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disclosure" ADD CONSTRAINT "Disclosure_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisclosureVersion" ADD CONSTRAINT "DisclosureVersion_disclosureId_fkey" FOREIGN KEY ("disclosureId") REFERENCES "Disclosure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SceneSession" ADD CONSTRAINT "SceneSession_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Poll" ADD CONSTRAINT "Poll_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollOption" ADD CONSTRAINT "PollOption_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PollParticipation" ADD CONSTRAINT "PollParticipation_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ballot" ADD CONSTRAINT "Ballot_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ballot" ADD CONSTRAINT "Ballot_participationId_fkey" FOREIGN KEY ("participationId") REFERENCES "PollParticipation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BallotChoice" ADD CONSTRAINT "BallotChoice_ballotId_fkey" FOREIGN KEY ("ballotId") REFERENCES "Ballot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BallotChoice" ADD CONSTRAINT "BallotChoice_optionId_fkey" FOREIGN KEY ("optionId") REFERENCES "PollOption"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InPersonCount" ADD CONSTRAINT "InPersonCount_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalPhoto" ADD CONSTRAINT "ProposalPhoto_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalSecond" ADD CONSTRAINT "ProposalSecond_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalEvent" ADD CONSTRAINT "ProposalEvent_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalProgress" ADD CONSTRAINT "ProposalProgress_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingTarget" ADD CONSTRAINT "RatingTarget_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "RatingTarget"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingCampaign" ADD CONSTRAINT "RatingCampaign_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RatingCampaign" ADD CONSTRAINT "RatingCampaign_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "RatingTarget"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Building" ADD CONSTRAINT "Building_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidentGroup" ADD CONSTRAINT "ResidentGroup_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuildingLead" ADD CONSTRAINT "BuildingLead_buildingId_fkey" FOREIGN KEY ("buildingId") REFERENCES "Building"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatGroup" ADD CONSTRAINT "ChatGroup_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Identity" ADD CONSTRAINT "Identity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_buildingId_fkey" FOREIGN KEY ("buildingId") REFERENCES "Building"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ResidentGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationCode" ADD CONSTRAINT "VerificationCode_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationCode" ADD CONSTRAINT "VerificationCode_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdentityLinkCode" ADD CONSTRAINT "IdentityLinkCode_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
