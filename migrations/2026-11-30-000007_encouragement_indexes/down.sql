DROP INDEX reactions_action_idx;
DROP INDEX reactions_goal_idx;
DROP INDEX reactions_story_idx;
DROP INDEX comments_action_idx;
DROP INDEX comments_goal_idx;
DROP INDEX comments_story_idx;
CREATE INDEX comments_target_idx ON comments (COALESCE(story_id, goal_id, action_id), id);
