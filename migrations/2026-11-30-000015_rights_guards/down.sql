DROP TRIGGER people_support_ended_recorded ON people;
DROP FUNCTION people_support_ended_recorded();
ALTER TABLE people DROP COLUMN support_ended_recorded_at;
DROP INDEX exports_one_pending_idx;
