-- CreateTable
CREATE TABLE "Building" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Building_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ResidentGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ResidentGroup_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BuildingLead" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "buildingId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "grantedById" TEXT,
    "grantedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BuildingLead_buildingId_fkey" FOREIGN KEY ("buildingId") REFERENCES "Building" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Household" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "buildingId" TEXT,
    "groupId" TEXT,
    "residents" INTEGER,
    "kind" TEXT,
    "headName" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "inRegister" BOOLEAN NOT NULL DEFAULT false,
    "importedAt" DATETIME,
    "deactivatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Household_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Household_buildingId_fkey" FOREIGN KEY ("buildingId") REFERENCES "Building" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Household_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ResidentGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Household" ("communityId", "createdAt", "id", "unit") SELECT "communityId", "createdAt", "id", "unit" FROM "Household";
DROP TABLE "Household";
ALTER TABLE "new_Household" RENAME TO "Household";
CREATE INDEX "Household_communityId_active_idx" ON "Household"("communityId", "active");
CREATE INDEX "Household_buildingId_idx" ON "Household"("buildingId");
CREATE INDEX "Household_groupId_idx" ON "Household"("groupId");
CREATE UNIQUE INDEX "Household_communityId_unit_key" ON "Household"("communityId", "unit");
CREATE TABLE "new_VerificationCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "unit" TEXT,
    "role" TEXT NOT NULL DEFAULT 'verified',
    "householdId" TEXT,
    "buildingId" TEXT,
    "purpose" TEXT NOT NULL DEFAULT 'code',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "redeemedAt" DATETIME,
    "redeemedById" TEXT,
    "revokedAt" DATETIME,
    CONSTRAINT "VerificationCode_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "VerificationCode_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_VerificationCode" ("codeHash", "communityId", "createdAt", "createdById", "expiresAt", "hint", "id", "redeemedAt", "redeemedById", "revokedAt", "role", "unit") SELECT "codeHash", "communityId", "createdAt", "createdById", "expiresAt", "hint", "id", "redeemedAt", "redeemedById", "revokedAt", "role", "unit" FROM "VerificationCode";
DROP TABLE "VerificationCode";
ALTER TABLE "new_VerificationCode" RENAME TO "VerificationCode";
CREATE UNIQUE INDEX "VerificationCode_codeHash_key" ON "VerificationCode"("codeHash");
CREATE INDEX "VerificationCode_communityId_createdAt_idx" ON "VerificationCode"("communityId", "createdAt");
CREATE INDEX "VerificationCode_householdId_idx" ON "VerificationCode"("householdId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Building_communityId_name_key" ON "Building"("communityId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ResidentGroup_communityId_name_key" ON "ResidentGroup"("communityId", "name");

-- CreateIndex
CREATE INDEX "BuildingLead_personId_communityId_idx" ON "BuildingLead"("personId", "communityId");

-- CreateIndex
CREATE UNIQUE INDEX "BuildingLead_buildingId_personId_key" ON "BuildingLead"("buildingId", "personId");
