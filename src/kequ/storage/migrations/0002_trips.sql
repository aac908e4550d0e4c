-- kequ schema version 2: field trips (出差), their visits and expenses. Never edit a
-- released step; add the next numbered file instead.

CREATE TABLE trip (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	cities JSON NOT NULL, 
	start_on DATE NOT NULL, 
	end_on DATE NOT NULL, 
	notes VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_name_not_blank CHECK (length(trim(name)) > 0), 
	CONSTRAINT ck_trip_dates CHECK (end_on >= start_on)
);

CREATE INDEX ix_trip_start_on ON trip (start_on);

CREATE TABLE trip_expense (
	id INTEGER NOT NULL, 
	trip_id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	amount_cents INTEGER NOT NULL, 
	category VARCHAR NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_category_valid CHECK (category IN ('transport', 'hotel', 'meals', 'gifts', 'other')), 
	CONSTRAINT ck_amount CHECK (amount_cents >= 0), 
	FOREIGN KEY(trip_id) REFERENCES trip (id) ON DELETE CASCADE
);

CREATE INDEX ix_trip_expense_trip_id ON trip_expense (trip_id);

CREATE TABLE trip_visit (
	id INTEGER NOT NULL, 
	trip_id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	time VARCHAR, 
	place VARCHAR NOT NULL, 
	purpose VARCHAR NOT NULL, 
	bring VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	learned VARCHAR NOT NULL, 
	needs VARCHAR NOT NULL, 
	competitors VARCHAR NOT NULL, 
	next_step VARCHAR NOT NULL, 
	next_on DATE, 
	next_kind VARCHAR, 
	interaction_id INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_status_valid CHECK (status IN ('planned', 'done', 'cancelled')), 
	CONSTRAINT ck_next_kind_valid CHECK (next_kind IS NULL OR next_kind IN ('call', 'visit', 'gift', 'message', 'email', 'thanks', 'festival', 'complaint')), 
	CONSTRAINT ck_visit_time CHECK (time IS NULL OR (length(time) = 5 AND substr(time, 3, 1) = ':')), 
	FOREIGN KEY(trip_id) REFERENCES trip (id) ON DELETE CASCADE, 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE, 
	FOREIGN KEY(interaction_id) REFERENCES interaction (id) ON DELETE SET NULL
);

CREATE INDEX ix_trip_visit_customer_id ON trip_visit (customer_id);

CREATE INDEX ix_trip_visit_day ON trip_visit (day);

CREATE INDEX ix_trip_visit_trip_id ON trip_visit (trip_id);
