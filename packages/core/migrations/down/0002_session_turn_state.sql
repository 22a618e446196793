-- Undoes 0002.
ALTER TABLE "parley_session" DROP COLUMN "turn_state";
