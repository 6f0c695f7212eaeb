-- AlterTable
ALTER TABLE "Announcement" ADD COLUMN     "scope" TEXT;

-- AlterTable
ALTER TABLE "Poll" ADD COLUMN     "scope" TEXT;

-- AlterTable
ALTER TABLE "PollParticipation" ADD COLUMN     "enteredById" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'online';

-- AlterTable
ALTER TABLE "Ballot" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'online';

-- AlterTable
ALTER TABLE "RatingCampaign" ADD COLUMN     "scope" TEXT;

-- AlterTable
ALTER TABLE "ChatGroup" ADD COLUMN     "scope" TEXT;

-- CreateTable
CREATE TABLE "MeetingBody" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "quorumShare" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "perYear" INTEGER NOT NULL,
    "perQuarter" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingBody_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingBodyMember" (
    "id" TEXT NOT NULL,
    "bodyId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingBodyMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "bodyId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "place" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reminderSentAt" TIMESTAMP(3),
    "memberCount" INTEGER,
    "minutesDisclosureId" TEXT,
    "minutesPublishedAt" TIMESTAMP(3),

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingAgendaItem" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "refId" TEXT,
    "title" TEXT NOT NULL,
    "minutes" TEXT,
    "minutesAt" TIMESTAMP(3),

    CONSTRAINT "MeetingAgendaItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingAttendance" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "member" BOOLEAN NOT NULL,
    "method" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "recordedById" TEXT,

    CONSTRAINT "MeetingAttendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingDecision" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "agendaItemId" TEXT,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "refId" TEXT,
    "outcome" TEXT,
    "votesFor" INTEGER,
    "votesAgainst" INTEGER,
    "votesAbstain" INTEGER,
    "voters" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "recordedById" TEXT,

    CONSTRAINT "MeetingDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaperBallot" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "householdId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "printedAt" TIMESTAMP(3) NOT NULL,
    "printedById" TEXT,

    CONSTRAINT "PaperBallot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InPersonAttendee" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "householdId" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "enteredById" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InPersonAttendee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Leadership" (
    "role" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Leadership_pkey" PRIMARY KEY ("role")
);

-- CreateTable
CREATE TABLE "ResidentRequest" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "requesterId" TEXT,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "photo" BYTEA,
    "photoName" TEXT,
    "location" TEXT,
    "status" TEXT NOT NULL DEFAULT 'received',
    "assigneeKind" TEXT,
    "assigneeId" TEXT,
    "unitName" TEXT,
    "reply" TEXT,
    "satisfaction" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "remindedAt" TIMESTAMP(3),
    "escalatedAt" TIMESTAMP(3),
    "proposalId" TEXT,
    "meetingId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "assignedAt" TIMESTAMP(3),
    "repliedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "ratedAt" TIMESTAMP(3),
    "erasedAt" TIMESTAMP(3),

    CONSTRAINT "ResidentRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResidentRequestEvent" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" TEXT,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResidentRequestEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestSettings" (
    "communityId" TEXT NOT NULL,
    "deadlines" TEXT,
    "headPersonId" TEXT,
    "holidays" TEXT,
    "workdays" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RequestSettings_pkey" PRIMARY KEY ("communityId")
);

-- CreateIndex
CREATE UNIQUE INDEX "MeetingBody_communityId_kind_key" ON "MeetingBody"("communityId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingBodyMember_bodyId_personId_key" ON "MeetingBodyMember"("bodyId", "personId");

-- CreateIndex
CREATE INDEX "Meeting_communityId_startsAt_idx" ON "Meeting"("communityId", "startsAt");

-- CreateIndex
CREATE INDEX "Meeting_status_startsAt_idx" ON "Meeting"("status", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_communityId_number_key" ON "Meeting"("communityId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingAgendaItem_meetingId_position_key" ON "MeetingAgendaItem"("meetingId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingAttendance_meetingId_personId_key" ON "MeetingAttendance"("meetingId", "personId");

-- CreateIndex
CREATE INDEX "MeetingDecision_meetingId_idx" ON "MeetingDecision"("meetingId");

-- CreateIndex
CREATE UNIQUE INDEX "PaperBallot_code_key" ON "PaperBallot"("code");

-- CreateIndex
CREATE UNIQUE INDEX "PaperBallot_pollId_householdId_key" ON "PaperBallot"("pollId", "householdId");

-- CreateIndex
CREATE UNIQUE INDEX "InPersonAttendee_pollId_householdId_key" ON "InPersonAttendee"("pollId", "householdId");

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

-- AddForeignKey
ALTER TABLE "MeetingBodyMember" ADD CONSTRAINT "MeetingBodyMember_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "MeetingBody"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "MeetingBody"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingAgendaItem" ADD CONSTRAINT "MeetingAgendaItem_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingAttendance" ADD CONSTRAINT "MeetingAttendance_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingDecision" ADD CONSTRAINT "MeetingDecision_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingDecision" ADD CONSTRAINT "MeetingDecision_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "MeetingAgendaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaperBallot" ADD CONSTRAINT "PaperBallot_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InPersonAttendee" ADD CONSTRAINT "InPersonAttendee_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidentRequestEvent" ADD CONSTRAINT "ResidentRequestEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ResidentRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
