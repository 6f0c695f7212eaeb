-- Secret ballots (issue 15, item 5). "Has voted" and "what was chosen" are kept apart:
--   PollParticipation: the poll, the voter (person or household), when — never the choice;
--   Ballot: the options chosen — never a person, never a time.
-- A named poll's ballot points to its participation (who voted what stays on record there). An
-- anonymous ballot is linked to nobody; while its voter may still change it, only by a keyed hash
-- (Ballot.voterHash) whose key is not in the database, and not at all once the poll has closed.
--
-- Existing ballots are carried over. Each becomes a participation row plus a ballot; anonymous
-- ballots get new random ids (a cuid carries its creation time) and, like every ballot and choice
-- row from now on, a random row position, so that neither ids nor row order tell who voted first;
-- anonymous participation rows keep no name. SQL cannot compute the keyed hash, so:
--   * named polls: Ballot.participationId, as the schema says;
--   * anonymous polls that are closed or cancelled, or whose ballots can no longer change (single
--     choice, changes not allowed): no link at all, from this migration on;
--   * anonymous polls still open (or scheduled) whose voters may change their ballot: a temporary
--     participationId, which the bot replaces by the keyed hash on its first polls-tick after the
--     upgrade (sealLegacyLinks, src/domain/polls/ballots.ts), within a minute of starting.

-- CreateTable
CREATE TABLE "PollParticipation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "personId" TEXT,
    "voterName" TEXT,
    "advisory" BOOLEAN NOT NULL DEFAULT false,
    "castAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PollParticipation_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Old ballot id → new ballot id, its participation's id, and whether it keeps a link.
CREATE TABLE "_secret_ballots_map" (
    "old" TEXT NOT NULL PRIMARY KEY,
    "new" TEXT NOT NULL,
    "participation" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL,
    "linked" BOOLEAN NOT NULL
);
INSERT INTO "_secret_ballots_map" ("old", "new", "participation", "anonymous", "linked")
SELECT b."id",
       CASE WHEN p."anonymous" THEN lower(hex(randomblob(16))) ELSE b."id" END,
       lower(hex(randomblob(16))),
       p."anonymous",
       CASE WHEN NOT p."anonymous" THEN 1
            WHEN p."status" IN ('open', 'scheduled') AND (p."allowChange" OR p."maxChoices" > 1) THEN 1
            ELSE 0 END
FROM "Ballot" b JOIN "Poll" p ON p."id" = b."pollId";

INSERT INTO "PollParticipation" ("id", "pollId", "voterKey", "personId", "voterName", "advisory", "castAt", "updatedAt")
SELECT m."participation", b."pollId", b."voterKey", b."personId", CASE WHEN m."anonymous" THEN NULL ELSE b."voterName" END, b."advisory", b."castAt", b."updatedAt"
FROM "Ballot" b JOIN "_secret_ballots_map" m ON m."old" = b."id"
ORDER BY b."castAt";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ballot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" TEXT NOT NULL,
    "advisory" BOOLEAN NOT NULL DEFAULT false,
    "voterHash" TEXT,
    "participationId" TEXT,
    CONSTRAINT "Ballot_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "Poll" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Ballot_participationId_fkey" FOREIGN KEY ("participationId") REFERENCES "PollParticipation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Ballot" ("rowid", "id", "pollId", "advisory", "voterHash", "participationId")
SELECT random(), m."new", b."pollId", b."advisory", NULL, CASE WHEN m."linked" THEN m."participation" ELSE NULL END
FROM "Ballot" b JOIN "_secret_ballots_map" m ON m."old" = b."id";
DROP TABLE "Ballot";
ALTER TABLE "new_Ballot" RENAME TO "Ballot";
CREATE UNIQUE INDEX "Ballot_participationId_key" ON "Ballot"("participationId");
CREATE UNIQUE INDEX "Ballot_pollId_voterHash_key" ON "Ballot"("pollId", "voterHash");

-- The choices follow their ballots' new ids, at random row positions too.
CREATE TABLE "new_BallotChoice" (
    "ballotId" TEXT NOT NULL,
    "optionId" TEXT NOT NULL,

    PRIMARY KEY ("ballotId", "optionId"),
    CONSTRAINT "BallotChoice_ballotId_fkey" FOREIGN KEY ("ballotId") REFERENCES "Ballot" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BallotChoice_optionId_fkey" FOREIGN KEY ("optionId") REFERENCES "PollOption" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_BallotChoice" ("rowid", "ballotId", "optionId")
SELECT random(), m."new", c."optionId"
FROM "BallotChoice" c JOIN "_secret_ballots_map" m ON m."old" = c."ballotId";
DROP TABLE "BallotChoice";
ALTER TABLE "new_BallotChoice" RENAME TO "BallotChoice";
CREATE INDEX "BallotChoice_optionId_idx" ON "BallotChoice"("optionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

DROP TABLE "_secret_ballots_map";

-- CreateIndex
CREATE INDEX "PollParticipation_pollId_castAt_idx" ON "PollParticipation"("pollId", "castAt");

-- CreateIndex
CREATE INDEX "PollParticipation_pollId_id_idx" ON "PollParticipation"("pollId", "id");

-- CreateIndex
CREATE INDEX "PollParticipation_personId_idx" ON "PollParticipation"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "PollParticipation_pollId_voterKey_key" ON "PollParticipation"("pollId", "voterKey");
