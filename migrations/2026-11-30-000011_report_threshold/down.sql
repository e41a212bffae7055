ALTER TABLE organisations DROP COLUMN report_threshold;
