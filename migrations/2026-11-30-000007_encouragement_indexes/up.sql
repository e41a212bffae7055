-- Reactions and comments are read by their target (a story, a goal or an action): the feed
-- counts them for every item of every page. The COALESCE index could serve none of those
-- queries (they name one column), so each kind of target gets its own partial index.
DROP INDEX comments_target_idx;
CREATE INDEX comments_story_idx ON comments (story_id, id) WHERE story_id IS NOT NULL;
CREATE INDEX comments_goal_idx ON comments (goal_id, id) WHERE goal_id IS NOT NULL;
CREATE INDEX comments_action_idx ON comments (action_id, id) WHERE action_id IS NOT NULL;
CREATE INDEX reactions_story_idx ON reactions (story_id) WHERE story_id IS NOT NULL;
CREATE INDEX reactions_goal_idx ON reactions (goal_id) WHERE goal_id IS NOT NULL;
CREATE INDEX reactions_action_idx ON reactions (action_id) WHERE action_id IS NOT NULL;
