-- CreateTable
CREATE TABLE "Leadership" (
    "role" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "since" DATETIME NOT NULL
);
