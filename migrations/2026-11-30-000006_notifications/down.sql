DROP TABLE notifications;
DROP TRIGGER activities_queue_notifications ON activities;
DROP FUNCTION queue_notification_job();
DROP TABLE notification_jobs;
DROP TABLE muted_people;
DROP TABLE notification_settings;
DROP TABLE push_devices;
