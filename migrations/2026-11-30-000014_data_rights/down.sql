ALTER TABLE organisations DROP COLUMN retention_months;
DROP TABLE exports;
DROP FUNCTION queue_export_objects();
DROP TABLE erasures;
DROP TABLE erasure_requests;
DROP TRIGGER people_refuse_held_erasure ON people;
DROP FUNCTION people_refuse_held_erasure();
DROP TABLE legal_holds;
