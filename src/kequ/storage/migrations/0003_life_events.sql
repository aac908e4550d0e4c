-- kequ schema version 3: life events (婚礼、添丁、升学、升职、乔迁、开业、生病、丧事) as
-- one-off kinds of important_date, whose year is required. Never edit a released step;
-- add the next numbered file instead.
--
-- SQLite cannot change a CHECK in place, so the table is rebuilt. The rows wait in a
-- plain copy while important_date is created again with exactly the DDL that the models
-- emit (ALTER TABLE ... RENAME would store a quoted name and drift from them). Nothing
-- references important_date, so dropping it cascades nowhere; its own reference to
-- customer is checked again as each row is copied back.

CREATE TABLE important_date_v2 AS SELECT * FROM important_date;

DROP TABLE important_date;

CREATE TABLE important_date (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	label VARCHAR NOT NULL, 
	month INTEGER NOT NULL, 
	day INTEGER NOT NULL, 
	lunar BOOLEAN NOT NULL, 
	leap BOOLEAN NOT NULL, 
	year INTEGER, 
	lead_days INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_kind_valid CHECK (kind IN ('birthday', 'anniversary', 'other', 'wedding', 'baby', 'exam', 'promotion', 'relocation', 'new_project', 'illness', 'bereavement')), 
	CONSTRAINT ck_one_off_has_year CHECK (year IS NOT NULL OR kind NOT IN ('wedding', 'baby', 'exam', 'promotion', 'relocation', 'new_project', 'illness', 'bereavement')), 
	CONSTRAINT ck_month_range CHECK (month BETWEEN 1 AND 12), 
	CONSTRAINT ck_day_range CHECK (day BETWEEN 1 AND 31), 
	CONSTRAINT ck_leap_only_lunar CHECK (lunar = 1 OR leap = 0), 
	CONSTRAINT ck_lunar_day CHECK (lunar = 0 OR day <= 30), 
	CONSTRAINT ck_lead_days CHECK (lead_days BETWEEN 0 AND 60), 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE
);

INSERT INTO important_date (id, customer_id, kind, label, month, day, lunar, leap, year, lead_days)
SELECT id, customer_id, kind, label, month, day, lunar, leap, year, lead_days FROM important_date_v2;

DROP TABLE important_date_v2;

CREATE INDEX ix_important_date_customer_id ON important_date (customer_id);
