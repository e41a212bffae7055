DROP TABLE outcome_statements;
DROP TABLE outcome_areas;
DROP TABLE framework_versions;
DROP TABLE frameworks;
