DROP TABLE photo_upload_parts; DROP TABLE photo_uploads;
