-- AlterTable
ALTER TABLE "Task" RENAME COLUMN "dueAt" TO "dueOn";

-- AlterTable
ALTER TABLE "Task" ALTER COLUMN "dueOn" SET DATA TYPE DATE;

-- DropIndex
DROP INDEX "Task_projectId_status_idx";

-- CreateIndex
CREATE INDEX "Task_projectId_status_priority_idx" ON "Task"("projectId", "status", "priority" DESC);
