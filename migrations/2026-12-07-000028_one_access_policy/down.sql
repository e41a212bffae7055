DROP FUNCTION comment_seen(uuid, uuid, uuid, uuid, boolean, boolean, boolean, boolean);
DROP FUNCTION story_seen(uuid, uuid, uuid, uuid, boolean, boolean, boolean);
DROP VIEW person_viewers;
DROP VIEW circle_grants;
