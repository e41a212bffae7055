DROP TABLE goal_codes;
ALTER TABLE outcome_statements DROP CONSTRAINT outcome_statements_area_key;
