DROP TABLE audit_events;
DROP TABLE login_throttles;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE invitations;
DROP TABLE accounts;
DROP TABLE contracts;
DROP TABLE organisations;
