-- Undoes 0006.
ALTER TABLE "parley_journey_transition" DROP COLUMN "when";
