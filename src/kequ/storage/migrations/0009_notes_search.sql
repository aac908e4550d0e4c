-- kequ schema version 7: search what I wrote. Every customer's notes, each contact's notes and
-- outcome, complaints (summary, resolution) and their steps, trip-visit write-ups and deal notes
-- are kept in note_text, one row per record that has any, by the triggers below: whatever
-- writes the book (the app, an import, a merge, a restore) keeps it up to date, and deleting
-- a record (or its customer) takes its row with it. note_fts indexes them with FTS5's trigram
-- tokenizer (substrings of three characters and more); note_vocab lists its trigrams, which
-- is how two-character words are found (kequ.storage.fast_reads.notes). The index is built for
-- the rows already there. Never edit a released step; add the next numbered file instead.
--
-- The part between the [trigram index] lines needs SQLite 3.34 or later: where the trigram
-- tokenizer is missing it is left out (kequ.storage.database.migrations) and search reads
-- note_text without an index.

CREATE TABLE note_text (
	id INTEGER NOT NULL, 
	source VARCHAR NOT NULL, 
	ref_id INTEGER NOT NULL, 
	body VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_note_text_source_ref UNIQUE (source, ref_id)
);

CREATE TRIGGER note_customer_insert AFTER INSERT ON customer BEGIN
    INSERT INTO note_text (source, ref_id, body) SELECT 'customer', new.id, trim(new.notes, char(10) || ' ') WHERE trim(new.notes, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_customer_update AFTER UPDATE OF notes ON customer BEGIN
    DELETE FROM note_text WHERE source = 'customer' AND ref_id = old.id;
    INSERT INTO note_text (source, ref_id, body) SELECT 'customer', new.id, trim(new.notes, char(10) || ' ') WHERE trim(new.notes, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_customer_delete AFTER DELETE ON customer BEGIN
    DELETE FROM note_text WHERE source = 'customer' AND ref_id = old.id;
END;

CREATE TRIGGER note_interaction_insert AFTER INSERT ON interaction BEGIN
    INSERT INTO note_text (source, ref_id, body) SELECT 'interaction', new.id, trim(new.notes || char(10) || new.outcome, char(10) || ' ') WHERE trim(new.notes || char(10) || new.outcome, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_interaction_update AFTER UPDATE OF notes, outcome ON interaction BEGIN
    DELETE FROM note_text WHERE source = 'interaction' AND ref_id = old.id;
    INSERT INTO note_text (source, ref_id, body) SELECT 'interaction', new.id, trim(new.notes || char(10) || new.outcome, char(10) || ' ') WHERE trim(new.notes || char(10) || new.outcome, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_interaction_delete AFTER DELETE ON interaction BEGIN
    DELETE FROM note_text WHERE source = 'interaction' AND ref_id = old.id;
END;

CREATE TRIGGER note_complaint_insert AFTER INSERT ON complaint BEGIN
    INSERT INTO note_text (source, ref_id, body) SELECT 'complaint', new.id, trim(new.summary || char(10) || new.resolution, char(10) || ' ') WHERE trim(new.summary || char(10) || new.resolution, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_complaint_update AFTER UPDATE OF summary, resolution ON complaint BEGIN
    DELETE FROM note_text WHERE source = 'complaint' AND ref_id = old.id;
    INSERT INTO note_text (source, ref_id, body) SELECT 'complaint', new.id, trim(new.summary || char(10) || new.resolution, char(10) || ' ') WHERE trim(new.summary || char(10) || new.resolution, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_complaint_delete AFTER DELETE ON complaint BEGIN
    DELETE FROM note_text WHERE source = 'complaint' AND ref_id = old.id;
END;

CREATE TRIGGER note_complaint_step_insert AFTER INSERT ON complaint_step BEGIN
    INSERT INTO note_text (source, ref_id, body) SELECT 'complaint_step', new.id, trim(new.notes || char(10) || coalesce((SELECT group_concat(value, char(10)) FROM json_each(CASE WHEN json_valid(new.data) THEN new.data ELSE '{}' END) WHERE type = 'text'), ''), char(10) || ' ') WHERE trim(new.notes || char(10) || coalesce((SELECT group_concat(value, char(10)) FROM json_each(CASE WHEN json_valid(new.data) THEN new.data ELSE '{}' END) WHERE type = 'text'), ''), char(10) || ' ') <> '';
END;

CREATE TRIGGER note_complaint_step_update AFTER UPDATE OF notes, data ON complaint_step BEGIN
    DELETE FROM note_text WHERE source = 'complaint_step' AND ref_id = old.id;
    INSERT INTO note_text (source, ref_id, body) SELECT 'complaint_step', new.id, trim(new.notes || char(10) || coalesce((SELECT group_concat(value, char(10)) FROM json_each(CASE WHEN json_valid(new.data) THEN new.data ELSE '{}' END) WHERE type = 'text'), ''), char(10) || ' ') WHERE trim(new.notes || char(10) || coalesce((SELECT group_concat(value, char(10)) FROM json_each(CASE WHEN json_valid(new.data) THEN new.data ELSE '{}' END) WHERE type = 'text'), ''), char(10) || ' ') <> '';
END;

CREATE TRIGGER note_complaint_step_delete AFTER DELETE ON complaint_step BEGIN
    DELETE FROM note_text WHERE source = 'complaint_step' AND ref_id = old.id;
END;

CREATE TRIGGER note_visit_insert AFTER INSERT ON trip_visit BEGIN
    INSERT INTO note_text (source, ref_id, body) SELECT 'visit', new.id, trim(new.learned || char(10) || new.needs || char(10) || new.competitors || char(10) || new.next_step, char(10) || ' ') WHERE trim(new.learned || char(10) || new.needs || char(10) || new.competitors || char(10) || new.next_step, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_visit_update AFTER UPDATE OF learned, needs, competitors, next_step ON trip_visit BEGIN
    DELETE FROM note_text WHERE source = 'visit' AND ref_id = old.id;
    INSERT INTO note_text (source, ref_id, body) SELECT 'visit', new.id, trim(new.learned || char(10) || new.needs || char(10) || new.competitors || char(10) || new.next_step, char(10) || ' ') WHERE trim(new.learned || char(10) || new.needs || char(10) || new.competitors || char(10) || new.next_step, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_visit_delete AFTER DELETE ON trip_visit BEGIN
    DELETE FROM note_text WHERE source = 'visit' AND ref_id = old.id;
END;

CREATE TRIGGER note_deal_insert AFTER INSERT ON deal BEGIN
    INSERT INTO note_text (source, ref_id, body) SELECT 'deal', new.id, trim(new.note, char(10) || ' ') WHERE trim(new.note, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_deal_update AFTER UPDATE OF note ON deal BEGIN
    DELETE FROM note_text WHERE source = 'deal' AND ref_id = old.id;
    INSERT INTO note_text (source, ref_id, body) SELECT 'deal', new.id, trim(new.note, char(10) || ' ') WHERE trim(new.note, char(10) || ' ') <> '';
END;

CREATE TRIGGER note_deal_delete AFTER DELETE ON deal BEGIN
    DELETE FROM note_text WHERE source = 'deal' AND ref_id = old.id;
END;

INSERT INTO note_text (source, ref_id, body) SELECT 'customer', id, trim(customer.notes, char(10) || ' ') FROM customer WHERE trim(customer.notes, char(10) || ' ') <> '';

INSERT INTO note_text (source, ref_id, body) SELECT 'interaction', id, trim(interaction.notes || char(10) || interaction.outcome, char(10) || ' ') FROM interaction WHERE trim(interaction.notes || char(10) || interaction.outcome, char(10) || ' ') <> '';

INSERT INTO note_text (source, ref_id, body) SELECT 'complaint', id, trim(complaint.summary || char(10) || complaint.resolution, char(10) || ' ') FROM complaint WHERE trim(complaint.summary || char(10) || complaint.resolution, char(10) || ' ') <> '';

INSERT INTO note_text (source, ref_id, body) SELECT 'complaint_step', id, trim(complaint_step.notes || char(10) || coalesce((SELECT group_concat(value, char(10)) FROM json_each(CASE WHEN json_valid(complaint_step.data) THEN complaint_step.data ELSE '{}' END) WHERE type = 'text'), ''), char(10) || ' ') FROM complaint_step WHERE trim(complaint_step.notes || char(10) || coalesce((SELECT group_concat(value, char(10)) FROM json_each(CASE WHEN json_valid(complaint_step.data) THEN complaint_step.data ELSE '{}' END) WHERE type = 'text'), ''), char(10) || ' ') <> '';

INSERT INTO note_text (source, ref_id, body) SELECT 'visit', id, trim(trip_visit.learned || char(10) || trip_visit.needs || char(10) || trip_visit.competitors || char(10) || trip_visit.next_step, char(10) || ' ') FROM trip_visit WHERE trim(trip_visit.learned || char(10) || trip_visit.needs || char(10) || trip_visit.competitors || char(10) || trip_visit.next_step, char(10) || ' ') <> '';

INSERT INTO note_text (source, ref_id, body) SELECT 'deal', id, trim(deal.note, char(10) || ' ') FROM deal WHERE trim(deal.note, char(10) || ' ') <> '';

-- [trigram index]
-- Each text is indexed with a space after it, so that a word at its very end still starts a
-- trigram: a two-character search looks for the trigrams that begin with it.
CREATE VIRTUAL TABLE note_fts USING fts5(body, content='note_text', content_rowid='id', tokenize='trigram');

CREATE VIRTUAL TABLE note_vocab USING fts5vocab(note_fts, row);

CREATE TRIGGER note_fts_insert AFTER INSERT ON note_text BEGIN
    INSERT INTO note_fts (rowid, body) VALUES (new.id, new.body || ' ');
END;

CREATE TRIGGER note_fts_delete AFTER DELETE ON note_text BEGIN
    INSERT INTO note_fts (note_fts, rowid, body) VALUES ('delete', old.id, old.body || ' ');
END;

CREATE TRIGGER note_fts_update AFTER UPDATE ON note_text BEGIN
    INSERT INTO note_fts (note_fts, rowid, body) VALUES ('delete', old.id, old.body || ' ');
    INSERT INTO note_fts (rowid, body) VALUES (new.id, new.body || ' ');
END;

INSERT INTO note_fts (rowid, body) SELECT id, body || ' ' FROM note_text;
-- [end trigram index]
