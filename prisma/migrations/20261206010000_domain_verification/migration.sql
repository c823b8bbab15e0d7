-- AlterTable
ALTER TABLE "sso_connections" ADD COLUMN     "savedByRole" "Role" NOT NULL DEFAULT 'ADMIN';

-- AlterTable
ALTER TABLE "sso_login_transactions" ADD COLUMN     "linkUserId" TEXT;

-- CreateTable
CREATE TABLE "org_domains" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "verifiedDomain" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "org_domains_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "org_domains_verifiedDomain_key" ON "org_domains"("verifiedDomain");

-- CreateIndex
CREATE UNIQUE INDEX "org_domains_orgId_domain_key" ON "org_domains"("orgId", "domain");

-- AddForeignKey
ALTER TABLE "org_domains" ADD CONSTRAINT "org_domains_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
