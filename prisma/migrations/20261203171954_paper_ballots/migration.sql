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

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PollParticipation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "personId" TEXT,
    "voterName" TEXT,
    "advisory" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'online',
    "enteredById" TEXT,
    "castAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PollParticipation_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_PollParticipation" ("advisory", "castAt", "id", "personId", "pollId", "updatedAt", "voterKey", "voterName") SELECT "advisory", "castAt", "id", "personId", "pollId", "updatedAt", "voterKey", "voterName" FROM "PollParticipation";
DROP TABLE "PollParticipation";
ALTER TABLE "new_PollParticipation" RENAME TO "PollParticipation";
CREATE INDEX "PollParticipation_pollId_castAt_idx" ON "PollParticipation"("pollId", "castAt");
CREATE INDEX "PollParticipation_pollId_id_idx" ON "PollParticipation"("pollId", "id");
CREATE INDEX "PollParticipation_personId_idx" ON "PollParticipation"("personId");
CREATE UNIQUE INDEX "PollParticipation_pollId_voterKey_key" ON "PollParticipation"("pollId", "voterKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "PaperBallot_code_key" ON "PaperBallot"("code");

-- CreateIndex
CREATE UNIQUE INDEX "PaperBallot_pollId_householdId_key" ON "PaperBallot"("pollId", "householdId");

-- CreateIndex
CREATE UNIQUE INDEX "InPersonAttendee_pollId_householdId_key" ON "InPersonAttendee"("pollId", "householdId");
