-- The customer search reads an index, not every row. customer_search_fts
-- indexes the four search columns of customer_search (schema step 11) with FTS5's trigram
-- tokenizer, as they are (case_sensitive 1: the columns are lower case already, and the
-- separators between forms are indexed too). It keeps no positions (detail=none): a query
-- of three characters and more asks for the rows holding each of its trigrams, and the
-- search checks the few it gets with instr, so the answer is exactly what a scan finds.
-- Shorter queries use the trigrams that begin a name form (the separators before a form
-- make them three characters long; customer_search_vocab lists the trigrams, so those that
-- begin with a separator and one character are found by range) and otherwise walk the list
-- in display order (kequ.storage.fast_reads.customers).
--
-- The triggers follow customer_search: its rows are inserted stale (weight NULL, nothing to
-- index) and filled by an UPDATE, deleted with their customer. The index is built for the
-- rows already there. Never edit a released step; add the next numbered file instead.
--
-- The part between the [trigram index] lines needs SQLite 3.34 or later: where the trigram
-- tokenizer is missing it is left out (kequ.storage.database.migrations) and the search
-- reads customer_search row by row, slower but with the same answer.

-- [trigram index]
CREATE VIRTUAL TABLE customer_search_fts USING fts5(latin_named, latin_others, wide_named, wide_others, content='customer_search', content_rowid='id', tokenize='trigram case_sensitive 1', detail=none);

CREATE VIRTUAL TABLE customer_search_vocab USING fts5vocab(customer_search_fts, row);

CREATE TRIGGER customer_search_fts_insert AFTER INSERT ON customer_search BEGIN
    INSERT INTO customer_search_fts (rowid, latin_named, latin_others, wide_named, wide_others) VALUES (new.id, new.latin_named, new.latin_others, new.wide_named, new.wide_others);
END;

CREATE TRIGGER customer_search_fts_delete AFTER DELETE ON customer_search BEGIN
    INSERT INTO customer_search_fts (customer_search_fts, rowid, latin_named, latin_others, wide_named, wide_others) VALUES ('delete', old.id, old.latin_named, old.latin_others, old.wide_named, old.wide_others);
END;

CREATE TRIGGER customer_search_fts_update AFTER UPDATE ON customer_search BEGIN
    INSERT INTO customer_search_fts (customer_search_fts, rowid, latin_named, latin_others, wide_named, wide_others) VALUES ('delete', old.id, old.latin_named, old.latin_others, old.wide_named, old.wide_others);
    INSERT INTO customer_search_fts (rowid, latin_named, latin_others, wide_named, wide_others) VALUES (new.id, new.latin_named, new.latin_others, new.wide_named, new.wide_others);
END;

INSERT INTO customer_search_fts (customer_search_fts) VALUES ('rebuild');
-- [end trigram index]
