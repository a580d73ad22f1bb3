-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "displayName" TEXT,
ADD COLUMN     "avatarUrl" TEXT,
ALTER COLUMN "role" SET DEFAULT 'MEMBER';

-- AlterTable
ALTER TABLE "Project" ALTER COLUMN "updatedAt" SET DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "color" VARCHAR(7);
