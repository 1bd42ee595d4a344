-- The personal-data check of documents (domain spec §11.4) fails closed. `text_status` says how
-- much of the text the scanner could read (`read`, `partial`, `empty`, `unsupported`, `failed`);
-- anything but `read` holds the document back from the public until an officer records, by
-- name, that they checked it (`checked_*`, also in the audit log). `findings` holds the masked
-- findings of the scan as JSON; NULL for documents stored before this migration, which are
-- scanned when read.
--
-- Documents stored before had their extraction failures recorded as empty text: those count as
-- unread now.

ALTER TABLE documents ADD COLUMN text_status TEXT NOT NULL DEFAULT 'read';
ALTER TABLE documents ADD COLUMN findings TEXT;
ALTER TABLE documents ADD COLUMN checked_by BLOB REFERENCES users (id);
ALTER TABLE documents ADD COLUMN checked_by_name TEXT;
ALTER TABLE documents ADD COLUMN checked_at TEXT;

UPDATE documents SET text_status = 'empty'
WHERE trim(extracted_text, ' ' || char(9) || char(10) || char(13) || char(12)) = '';
