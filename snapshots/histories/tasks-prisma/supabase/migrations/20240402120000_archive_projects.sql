/*
  Warnings:

  - You are about to drop the column `archived` on the `Project` table. All the data in the column will be lost.

*/
-- DropIndex
DROP INDEX "Project_workspaceId_idx";

-- AlterTable
ALTER TABLE "Project" DROP COLUMN "archived",
ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Project_workspaceId_archivedAt_idx" ON "Project"("workspaceId", "archivedAt");
