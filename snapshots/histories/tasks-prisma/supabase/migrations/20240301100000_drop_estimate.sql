/*
  Warnings:

  - You are about to drop the column `estimate` on the `Task` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "Task" DROP COLUMN "estimate",
ADD COLUMN     "points" SMALLINT,
ALTER COLUMN "priority" SET DEFAULT 2,
ALTER COLUMN "title" SET DATA TYPE VARCHAR(200);
