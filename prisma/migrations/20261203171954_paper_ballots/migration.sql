-- CreateTable
CREATE TABLE "PaperBallot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "householdId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "printedAt" DATETIME NOT NULL,
    "printedById" TEXT,
    CONSTRAINT "PaperBallot_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InPersonAttendee" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "householdId" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "enteredById" TEXT,
    "at" DATETIME NOT NULL,
    CONSTRAINT "InPersonAttendee_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: added columns, not a rebuild (a poll's participation table may be large).
ALTER TABLE "PollParticipation" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'online';
ALTER TABLE "PollParticipation" ADD COLUMN "enteredById" TEXT;
ALTER TABLE "Ballot" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'online';

-- CreateIndex
CREATE UNIQUE INDEX "PaperBallot_code_key" ON "PaperBallot"("code");

-- CreateIndex
CREATE UNIQUE INDEX "PaperBallot_pollId_householdId_key" ON "PaperBallot"("pollId", "householdId");

-- CreateIndex
CREATE UNIQUE INDEX "InPersonAttendee_pollId_householdId_key" ON "InPersonAttendee"("pollId", "householdId");
