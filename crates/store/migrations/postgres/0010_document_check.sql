-- The personal-data check of documents fails closed (see the SQLite twin for the columns).

ALTER TABLE documents ADD COLUMN text_status TEXT NOT NULL DEFAULT 'read';
ALTER TABLE documents ADD COLUMN findings TEXT;
ALTER TABLE documents ADD COLUMN checked_by UUID REFERENCES users (id);
ALTER TABLE documents ADD COLUMN checked_by_name TEXT;
ALTER TABLE documents ADD COLUMN checked_at TIMESTAMPTZ;

UPDATE documents SET text_status = 'empty'
WHERE btrim(extracted_text, E' \t\n\r\f') = '';
