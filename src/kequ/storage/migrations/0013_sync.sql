-- kequ schema version 13: sync with a team's server (issue #26; kequ.storage.sync).
--
-- Every synced table gets a stable uid (a version 4 UUID, lower-case text) that is the
-- row's name on the wire and on the server; integer ids stay this laptop's own. Existing
-- rows get one here; a new row gets one from its table's insert trigger whatever writes it
-- (the app, an import, a merge, a restore), unless it comes with one (a pulled change).
--
-- sync_outbox is filled by the triggers while sync_state.record is 1 (set at the first
-- sync, which queues every row once): a put per inserted or updated row (for a customer,
-- only when a synced column changed, and which ones), a tombstone per deleted row with
-- the uid of the customer it belonged to. A put is read from the row when it is pushed.
-- No trigger reads the clock: a customer's change carries its updated_at, any other is
-- stamped when it is pushed. Applying pulled changes sets record to 0 inside its own
-- transaction, so they never come back up. sync_conflict keeps what the server reported
-- (a field another device won) for showing; a change the server refused stays in the
-- outbox with its reason, reported and tried again at each sync. Never edit a released step;
-- add the next numbered file instead.


CREATE TABLE sync_state (
	id INTEGER NOT NULL CHECK (id = 1),
	server_url VARCHAR,
	user_name VARCHAR,
	pull_cursor INTEGER DEFAULT 0 NOT NULL,
	last_synced_at VARCHAR,
	record INTEGER DEFAULT 0 NOT NULL,
	PRIMARY KEY (id)
);

INSERT INTO sync_state (id) VALUES (1);

CREATE TABLE sync_outbox (
	id INTEGER NOT NULL,
	tbl VARCHAR NOT NULL,
	row_uid VARCHAR NOT NULL,
	op VARCHAR NOT NULL CHECK (op IN ('put', 'delete')),
	changed VARCHAR,
	at VARCHAR,
	customer_uid VARCHAR,
	refused VARCHAR,
	PRIMARY KEY (id)
);

-- While a customer or a complaint is being deleted, whose it was: the rows its deletion
-- cascades to are gone with it, and their tombstones still name their customer.
CREATE TABLE sync_gone (
	tbl VARCHAR NOT NULL,
	id INTEGER NOT NULL,
	customer_uid VARCHAR,
	PRIMARY KEY (tbl, id)
);

CREATE TABLE sync_conflict (
	id INTEGER NOT NULL,
	tbl VARCHAR NOT NULL,
	row_uid VARCHAR NOT NULL,
	customer_uid VARCHAR,
	field VARCHAR,
	mine VARCHAR,
	theirs VARCHAR,
	their_at VARCHAR,
	reason VARCHAR,
	seen INTEGER DEFAULT 0 NOT NULL,
	PRIMARY KEY (id)
);

-- customer

ALTER TABLE customer ADD COLUMN uid VARCHAR;

UPDATE customer SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_customer_uid ON customer (uid);

CREATE TRIGGER sync_customer_insert AFTER INSERT ON customer BEGIN
    UPDATE customer SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'customer', uid, 'put' FROM customer WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_customer_update AFTER UPDATE ON customer WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, changed, at, customer_uid)
    SELECT 'customer', new.uid, 'put', json_group_array(c), new.updated_at, new.uid FROM (
        SELECT 'name' AS c WHERE old.name IS NOT new.name
        UNION ALL SELECT 'honorific' AS c WHERE old.honorific IS NOT new.honorific
        UNION ALL SELECT 'company' AS c WHERE old.company IS NOT new.company
        UNION ALL SELECT 'title' AS c WHERE old.title IS NOT new.title
        UNION ALL SELECT 'company_role' AS c WHERE old.company_role IS NOT new.company_role
        UNION ALL SELECT 'phones' AS c WHERE old.phones IS NOT new.phones
        UNION ALL SELECT 'wechat' AS c WHERE old.wechat IS NOT new.wechat
        UNION ALL SELECT 'email' AS c WHERE old.email IS NOT new.email
        UNION ALL SELECT 'city' AS c WHERE old.city IS NOT new.city
        UNION ALL SELECT 'district' AS c WHERE old.district IS NOT new.district
        UNION ALL SELECT 'address' AS c WHERE old.address IS NOT new.address
        UNION ALL SELECT 'tier' AS c WHERE old.tier IS NOT new.tier
        UNION ALL SELECT 'stage' AS c WHERE old.stage IS NOT new.stage
        UNION ALL SELECT 'disc' AS c WHERE old.disc IS NOT new.disc
        UNION ALL SELECT 'relation_type' AS c WHERE old.relation_type IS NOT new.relation_type
        UNION ALL SELECT 'ladder' AS c WHERE old.ladder IS NOT new.ladder
        UNION ALL SELECT 'ford_family' AS c WHERE old.ford_family IS NOT new.ford_family
        UNION ALL SELECT 'ford_occupation' AS c WHERE old.ford_occupation IS NOT new.ford_occupation
        UNION ALL SELECT 'ford_recreation' AS c WHERE old.ford_recreation IS NOT new.ford_recreation
        UNION ALL SELECT 'ford_dreams' AS c WHERE old.ford_dreams IS NOT new.ford_dreams
        UNION ALL SELECT 'interests' AS c WHERE old.interests IS NOT new.interests
        UNION ALL SELECT 'tags' AS c WHERE old.tags IS NOT new.tags
        UNION ALL SELECT 'source' AS c WHERE old.source IS NOT new.source
        UNION ALL SELECT 'referrer_id' AS c WHERE old.referrer_id IS NOT new.referrer_id
        UNION ALL SELECT 'churned' AS c WHERE old.churned IS NOT new.churned
        UNION ALL SELECT 'churn_reason' AS c WHERE old.churn_reason IS NOT new.churn_reason
        UNION ALL SELECT 'notes' AS c WHERE old.notes IS NOT new.notes
        UNION ALL SELECT 'search_keys' AS c WHERE old.search_keys IS NOT new.search_keys
        UNION ALL SELECT 'created_at' AS c WHERE old.created_at IS NOT new.created_at
        UNION ALL SELECT 'gender' AS c WHERE old.gender IS NOT new.gender
        UNION ALL SELECT 'churn_note' AS c WHERE old.churn_note IS NOT new.churn_note
        UNION ALL SELECT 'churned_on' AS c WHERE old.churned_on IS NOT new.churned_on
    ) HAVING count(*) > 0;
END;

CREATE TRIGGER sync_customer_gone BEFORE DELETE ON customer WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT OR REPLACE INTO sync_gone (tbl, id, customer_uid) VALUES ('customer', old.id, old.uid);
END;

CREATE TRIGGER sync_customer_delete AFTER DELETE ON customer WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('customer', old.uid, 'delete', old.uid);
    DELETE FROM sync_gone WHERE tbl = 'customer' AND id = old.id;
END;

-- important_date

ALTER TABLE important_date ADD COLUMN uid VARCHAR;

UPDATE important_date SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_important_date_uid ON important_date (uid);

CREATE TRIGGER sync_important_date_insert AFTER INSERT ON important_date BEGIN
    UPDATE important_date SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'important_date', uid, 'put' FROM important_date WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_important_date_update AFTER UPDATE ON important_date WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('important_date', new.uid, 'put');
END;

CREATE TRIGGER sync_important_date_delete AFTER DELETE ON important_date WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('important_date', old.uid, 'delete', coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
END;

-- touchpoint

ALTER TABLE touchpoint ADD COLUMN uid VARCHAR;

UPDATE touchpoint SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_touchpoint_uid ON touchpoint (uid);

CREATE TRIGGER sync_touchpoint_insert AFTER INSERT ON touchpoint BEGIN
    UPDATE touchpoint SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'touchpoint', uid, 'put' FROM touchpoint WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_touchpoint_update AFTER UPDATE ON touchpoint WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('touchpoint', new.uid, 'put');
END;

CREATE TRIGGER sync_touchpoint_delete AFTER DELETE ON touchpoint WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('touchpoint', old.uid, 'delete', coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
END;

-- interaction

ALTER TABLE interaction ADD COLUMN uid VARCHAR;

UPDATE interaction SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_interaction_uid ON interaction (uid);

CREATE TRIGGER sync_interaction_insert AFTER INSERT ON interaction BEGIN
    UPDATE interaction SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'interaction', uid, 'put' FROM interaction WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_interaction_update AFTER UPDATE ON interaction WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('interaction', new.uid, 'put');
END;

CREATE TRIGGER sync_interaction_delete AFTER DELETE ON interaction WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('interaction', old.uid, 'delete', coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
END;

-- cadence

ALTER TABLE cadence ADD COLUMN uid VARCHAR;

UPDATE cadence SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_cadence_uid ON cadence (uid);

CREATE TRIGGER sync_cadence_insert AFTER INSERT ON cadence BEGIN
    UPDATE cadence SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'cadence', uid, 'put' FROM cadence WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_cadence_update AFTER UPDATE ON cadence WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('cadence', new.uid, 'put');
END;

CREATE TRIGGER sync_cadence_delete AFTER DELETE ON cadence WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('cadence', old.uid, 'delete', coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
END;

-- deal

ALTER TABLE deal ADD COLUMN uid VARCHAR;

UPDATE deal SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_deal_uid ON deal (uid);

CREATE TRIGGER sync_deal_insert AFTER INSERT ON deal BEGIN
    UPDATE deal SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'deal', uid, 'put' FROM deal WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_deal_update AFTER UPDATE ON deal WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('deal', new.uid, 'put');
END;

CREATE TRIGGER sync_deal_delete AFTER DELETE ON deal WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('deal', old.uid, 'delete', coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
END;

-- gift

ALTER TABLE gift ADD COLUMN uid VARCHAR;

UPDATE gift SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_gift_uid ON gift (uid);

CREATE TRIGGER sync_gift_insert AFTER INSERT ON gift BEGIN
    UPDATE gift SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'gift', uid, 'put' FROM gift WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_gift_update AFTER UPDATE ON gift WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('gift', new.uid, 'put');
END;

CREATE TRIGGER sync_gift_delete AFTER DELETE ON gift WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('gift', old.uid, 'delete', coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
END;

-- complaint

ALTER TABLE complaint ADD COLUMN uid VARCHAR;

UPDATE complaint SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_complaint_uid ON complaint (uid);

CREATE TRIGGER sync_complaint_insert AFTER INSERT ON complaint BEGIN
    UPDATE complaint SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'complaint', uid, 'put' FROM complaint WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_complaint_update AFTER UPDATE ON complaint WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('complaint', new.uid, 'put');
END;

CREATE TRIGGER sync_complaint_gone BEFORE DELETE ON complaint WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT OR REPLACE INTO sync_gone (tbl, id, customer_uid) VALUES ('complaint', old.id, coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
END;

CREATE TRIGGER sync_complaint_delete AFTER DELETE ON complaint WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('complaint', old.uid, 'delete', coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
    DELETE FROM sync_gone WHERE tbl = 'complaint' AND id = old.id;
END;

-- complaint_step

ALTER TABLE complaint_step ADD COLUMN uid VARCHAR;

UPDATE complaint_step SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_complaint_step_uid ON complaint_step (uid);

CREATE TRIGGER sync_complaint_step_insert AFTER INSERT ON complaint_step BEGIN
    UPDATE complaint_step SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'complaint_step', uid, 'put' FROM complaint_step WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_complaint_step_update AFTER UPDATE ON complaint_step WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('complaint_step', new.uid, 'put');
END;

CREATE TRIGGER sync_complaint_step_delete AFTER DELETE ON complaint_step WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('complaint_step', old.uid, 'delete', coalesce((SELECT c.uid FROM complaint p JOIN customer c ON c.id = p.customer_id WHERE p.id = old.complaint_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'complaint' AND id = old.complaint_id)));
END;

-- trip

ALTER TABLE trip ADD COLUMN uid VARCHAR;

UPDATE trip SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_trip_uid ON trip (uid);

CREATE TRIGGER sync_trip_insert AFTER INSERT ON trip BEGIN
    UPDATE trip SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'trip', uid, 'put' FROM trip WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_trip_update AFTER UPDATE ON trip WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('trip', new.uid, 'put');
END;

CREATE TRIGGER sync_trip_delete AFTER DELETE ON trip WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('trip', old.uid, 'delete', NULL);
END;

-- trip_visit

ALTER TABLE trip_visit ADD COLUMN uid VARCHAR;

UPDATE trip_visit SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_trip_visit_uid ON trip_visit (uid);

CREATE TRIGGER sync_trip_visit_insert AFTER INSERT ON trip_visit BEGIN
    UPDATE trip_visit SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'trip_visit', uid, 'put' FROM trip_visit WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_trip_visit_update AFTER UPDATE ON trip_visit WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('trip_visit', new.uid, 'put');
END;

CREATE TRIGGER sync_trip_visit_delete AFTER DELETE ON trip_visit WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('trip_visit', old.uid, 'delete', coalesce((SELECT uid FROM customer WHERE id = old.customer_id), (SELECT customer_uid FROM sync_gone WHERE tbl = 'customer' AND id = old.customer_id)));
END;

-- trip_expense

ALTER TABLE trip_expense ADD COLUMN uid VARCHAR;

UPDATE trip_expense SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_trip_expense_uid ON trip_expense (uid);

CREATE TRIGGER sync_trip_expense_insert AFTER INSERT ON trip_expense BEGIN
    UPDATE trip_expense SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'trip_expense', uid, 'put' FROM trip_expense WHERE id = new.id AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_trip_expense_update AFTER UPDATE ON trip_expense WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('trip_expense', new.uid, 'put');
END;

CREATE TRIGGER sync_trip_expense_delete AFTER DELETE ON trip_expense WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('trip_expense', old.uid, 'delete', NULL);
END;

-- setting

ALTER TABLE setting ADD COLUMN uid VARCHAR;

UPDATE setting SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_setting_uid ON setting (uid);

CREATE TRIGGER sync_setting_insert AFTER INSERT ON setting BEGIN
    UPDATE setting SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE key = new.key AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'setting', uid, 'put' FROM setting WHERE key = new.key AND (SELECT record FROM sync_state) = 1;
END;

CREATE TRIGGER sync_setting_update AFTER UPDATE ON setting WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('setting', new.uid, 'put');
END;

CREATE TRIGGER sync_setting_delete AFTER DELETE ON setting WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('setting', old.uid, 'delete', NULL);
END;

-- greeting_template

ALTER TABLE greeting_template ADD COLUMN uid VARCHAR;

UPDATE greeting_template SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX ix_greeting_template_uid ON greeting_template (uid);

CREATE TRIGGER sync_greeting_template_insert AFTER INSERT ON greeting_template BEGIN
    UPDATE greeting_template SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
    INSERT INTO sync_outbox (tbl, row_uid, op) SELECT 'greeting_template', uid, 'put' FROM greeting_template WHERE id = new.id AND (SELECT record FROM sync_state) = 1 AND new.builtin = 0;
END;

CREATE TRIGGER sync_greeting_template_update AFTER UPDATE ON greeting_template WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 AND new.builtin = 0 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op) VALUES ('greeting_template', new.uid, 'put');
END;

CREATE TRIGGER sync_greeting_template_delete AFTER DELETE ON greeting_template WHEN old.uid IS NOT NULL AND (SELECT record FROM sync_state) = 1 AND old.builtin = 0 BEGIN
    INSERT INTO sync_outbox (tbl, row_uid, op, customer_uid) VALUES ('greeting_template', old.uid, 'delete', NULL);
END;
