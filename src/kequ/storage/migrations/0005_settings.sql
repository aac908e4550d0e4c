-- kequ schema version 4: the setting table keeps the user's settings under the keys that
-- `kequ config` and the Settings screen show (kequ.domain.settings), and refuses a blank key.
-- The two festival choices kept since version 1 take their new names. Never edit a
-- released step; add the next numbered file instead.
--
-- SQLite cannot add a CHECK in place, so the table is rebuilt as in step 3: the rows wait
-- in a plain copy while setting is created again with exactly the DDL the models emit.

CREATE TABLE setting_v3 AS SELECT * FROM setting;

DROP TABLE setting;

CREATE TABLE setting (
	"key" VARCHAR NOT NULL, 
	value JSON, 
	PRIMARY KEY ("key"), 
	CONSTRAINT ck_key_not_blank CHECK (length(trim("key")) > 0)
);

INSERT OR IGNORE INTO setting ("key", value)
SELECT CASE "key" WHEN 'festivals.greet' THEN 'festivals' WHEN 'festivals.tiers' THEN 'festival_tiers' ELSE "key" END,
       value
FROM setting_v3
WHERE length(trim("key")) > 0;

DROP TABLE setting_v3;
