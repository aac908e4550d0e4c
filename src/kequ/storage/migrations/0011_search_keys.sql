-- kequ schema version 10: the customer search reads a table, not the whole book. customer_search
-- holds, per customer, what the search matches and orders by, split out of customer.search_keys
-- (kequ.domain.search.search_columns): the tier's weight, the pinyin collation, the name, and the
-- name forms and other fields, Latin and Chinese apart. The ordering index gives the list in
-- display order a page at a time; a search is one query over the short columns of its script.
--
-- The triggers keep it current whatever writes the book (the app, an import, a merge, a
-- restore): a new customer gets a row, a change of name, tier or keys marks its row stale
-- (weight NULL), a deleted customer takes its row with it. Stale rows are filled in Python
-- (the keys' sections need kequ.domain.search) by kequ.storage.fast_reads.customers before any
-- search reads the table; this step leaves every existing customer's row stale, so the first
-- search after the upgrade fills them once. Never edit a released step; add the next numbered file.

CREATE TABLE customer_search (
	id INTEGER NOT NULL, 
	weight INTEGER, 
	collation VARCHAR, 
	name VARCHAR, 
	latin_named VARCHAR, 
	latin_others VARCHAR, 
	wide_named VARCHAR, 
	wide_others VARCHAR, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_customer_search_order ON customer_search (weight DESC, collation, name, id);

CREATE INDEX ix_customer_search_stale ON customer_search (id) WHERE weight IS NULL;

CREATE TRIGGER customer_search_insert AFTER INSERT ON customer BEGIN
    INSERT OR REPLACE INTO customer_search (id) VALUES (new.id);
END;

CREATE TRIGGER customer_search_update AFTER UPDATE OF id, name, tier, search_keys ON customer BEGIN
    DELETE FROM customer_search WHERE id = old.id;
    INSERT OR REPLACE INTO customer_search (id) VALUES (new.id);
END;

CREATE TRIGGER customer_search_delete AFTER DELETE ON customer BEGIN
    DELETE FROM customer_search WHERE id = old.id;
END;

INSERT INTO customer_search (id) SELECT id FROM customer;
