-- The newest contact of each customer and kind, kept by the database itself: Today reads
-- one row per customer and kind here instead of looking for the newest among every contact
-- (2,000,000 of them in a book of 100,000 customers).
--
-- It always holds what SELECT customer_id, kind, max(happened_at) FROM interaction
-- GROUP BY customer_id, kind gives: a contact added can only move its pair's newest
-- forward; a contact deleted or moved (another day, kind or customer) has its pairs worked
-- out again from interaction. A customer deleted takes their contacts with them, and those
-- deletes clear their rows. Every writer goes through these triggers (the app, the commands,
-- an import, a restore, a sync); nothing else writes the table. Never edit a released step;
-- add the next numbered file instead.

CREATE TABLE newest_contact (
    customer_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    happened_at DATETIME NOT NULL,
    PRIMARY KEY (customer_id, kind)
) WITHOUT ROWID;

CREATE TRIGGER newest_contact_insert AFTER INSERT ON interaction BEGIN
    DELETE FROM newest_contact WHERE customer_id = new.customer_id AND kind = new.kind AND happened_at < new.happened_at;
    INSERT INTO newest_contact (customer_id, kind, happened_at) SELECT new.customer_id, new.kind, new.happened_at WHERE NOT EXISTS (SELECT 1 FROM newest_contact WHERE customer_id = new.customer_id AND kind = new.kind);
END;

CREATE TRIGGER newest_contact_update AFTER UPDATE OF customer_id, kind, happened_at ON interaction BEGIN
    DELETE FROM newest_contact WHERE (customer_id = old.customer_id AND kind = old.kind) OR (customer_id = new.customer_id AND kind = new.kind);
    INSERT INTO newest_contact (customer_id, kind, happened_at) SELECT customer_id, kind, max(happened_at) FROM interaction WHERE customer_id = old.customer_id AND kind = old.kind GROUP BY customer_id, kind;
    INSERT INTO newest_contact (customer_id, kind, happened_at) SELECT customer_id, kind, max(happened_at) FROM interaction WHERE customer_id = new.customer_id AND kind = new.kind AND NOT (new.customer_id = old.customer_id AND new.kind = old.kind) GROUP BY customer_id, kind;
END;

CREATE TRIGGER newest_contact_delete AFTER DELETE ON interaction BEGIN
    DELETE FROM newest_contact WHERE customer_id = old.customer_id AND kind = old.kind;
    INSERT INTO newest_contact (customer_id, kind, happened_at) SELECT customer_id, kind, max(happened_at) FROM interaction WHERE customer_id = old.customer_id AND kind = old.kind GROUP BY customer_id, kind;
END;

INSERT INTO newest_contact (customer_id, kind, happened_at) SELECT customer_id, kind, max(happened_at) FROM interaction GROUP BY customer_id, kind;
