-- Undoes 0003.
ALTER TABLE "parley_agent" DROP COLUMN "catalog_revision";
