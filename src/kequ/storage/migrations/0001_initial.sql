-- kequ schema version 1: the first released schema. Never edit a released step;

-- add the next numbered file instead.

CREATE TABLE customer (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	honorific VARCHAR NOT NULL, 
	company VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	company_role VARCHAR, 
	phones JSON NOT NULL, 
	wechat VARCHAR NOT NULL, 
	email VARCHAR NOT NULL, 
	city VARCHAR NOT NULL, 
	district VARCHAR NOT NULL, 
	address VARCHAR NOT NULL, 
	tier VARCHAR NOT NULL, 
	stage VARCHAR NOT NULL, 
	disc VARCHAR, 
	relation_type VARCHAR, 
	ladder VARCHAR, 
	ford_family VARCHAR NOT NULL, 
	ford_occupation VARCHAR NOT NULL, 
	ford_recreation VARCHAR NOT NULL, 
	ford_dreams VARCHAR NOT NULL, 
	interests VARCHAR NOT NULL, 
	tags JSON NOT NULL, 
	source VARCHAR NOT NULL, 
	referrer_id INTEGER, 
	churned BOOLEAN NOT NULL, 
	churn_reason VARCHAR NOT NULL, 
	notes VARCHAR NOT NULL, 
	search_keys VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_name_not_blank CHECK (length(trim(name)) > 0), 
	CONSTRAINT ck_tier_valid CHECK (tier IN ('key', 'potential', 'regular', 'temporary')), 
	CONSTRAINT ck_stage_valid CHECK (stage IN ('prospect', 'new', 'existing')), 
	CONSTRAINT ck_disc_valid CHECK (disc IS NULL OR disc IN ('D', 'I', 'S', 'C')), 
	CONSTRAINT ck_relation_type_valid CHECK (relation_type IS NULL OR relation_type IN ('family', 'friend', 'adviser', 'star')), 
	CONSTRAINT ck_ladder_valid CHECK (ladder IS NULL OR ladder IN ('acquainted', 'understood', 'respected', 'friendship', 'trust', 'loyalty')), 
	CONSTRAINT ck_company_role_valid CHECK (company_role IS NULL OR company_role IN ('decision_maker', 'buyer', 'user', 'influencer', 'informed', 'assistant')), 
	FOREIGN KEY(referrer_id) REFERENCES customer (id) ON DELETE SET NULL
);

CREATE INDEX ix_customer_city ON customer (city);

CREATE INDEX ix_customer_company ON customer (company);

CREATE INDEX ix_customer_tier ON customer (tier);

CREATE TABLE greeting_template (
	id INTEGER NOT NULL, 
	occasion VARCHAR NOT NULL, 
	disc VARCHAR, 
	formality VARCHAR, 
	body VARCHAR NOT NULL, 
	builtin BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_occasion_not_blank CHECK (length(trim(occasion)) > 0), 
	CONSTRAINT ck_body_not_blank CHECK (length(trim(body)) > 0), 
	CONSTRAINT ck_disc_valid CHECK (disc IS NULL OR disc IN ('D', 'I', 'S', 'C')), 
	CONSTRAINT ck_formality_valid CHECK (formality IS NULL OR formality IN ('formal', 'close'))
);

CREATE INDEX ix_template_occasion ON greeting_template (occasion);

CREATE TABLE setting (
	"key" VARCHAR NOT NULL, 
	value JSON, 
	PRIMARY KEY ("key")
);

CREATE TABLE cadence (
	id INTEGER NOT NULL, 
	customer_id INTEGER, 
	tier VARCHAR, 
	kind VARCHAR NOT NULL, 
	interval_days INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_kind_valid CHECK (kind IN ('call', 'visit', 'gift', 'message', 'email', 'thanks', 'festival', 'complaint')), 
	CONSTRAINT ck_tier_valid CHECK (tier IS NULL OR tier IN ('key', 'potential', 'regular', 'temporary')), 
	CONSTRAINT ck_cadence_scope CHECK ((customer_id IS NULL) <> (tier IS NULL)), 
	CONSTRAINT ck_interval CHECK (interval_days BETWEEN 0 AND 3660), 
	CONSTRAINT uq_cadence_scope_kind UNIQUE (customer_id, tier, kind), 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE
);

CREATE TABLE complaint (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	opened_at DATETIME NOT NULL, 
	status VARCHAR NOT NULL, 
	step INTEGER NOT NULL, 
	summary VARCHAR NOT NULL, 
	cause VARCHAR, 
	resolution VARCHAR NOT NULL, 
	satisfaction INTEGER, 
	closed_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_status_valid CHECK (status IN ('open', 'closed')), 
	CONSTRAINT ck_cause_valid CHECK (cause IS NULL OR cause IN ('product', 'service', 'delivery', 'price', 'misunderstanding', 'other')), 
	CONSTRAINT ck_step CHECK (step BETWEEN 1 AND 9), 
	CONSTRAINT ck_satisfaction CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5), 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE
);

CREATE INDEX ix_complaint_customer_id ON complaint (customer_id);

CREATE INDEX ix_complaint_status ON complaint (status);

CREATE TABLE deal (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	closed_on DATE NOT NULL, 
	amount_cents INTEGER, 
	note VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_amount CHECK (amount_cents IS NULL OR amount_cents >= 0), 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE
);

CREATE INDEX ix_deal_closed_on ON deal (closed_on);

CREATE INDEX ix_deal_customer_id ON deal (customer_id);

CREATE TABLE gift (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	given_on DATE NOT NULL, 
	item VARCHAR NOT NULL, 
	cost_cents INTEGER, 
	occasion VARCHAR NOT NULL, 
	reaction VARCHAR NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_item_not_blank CHECK (length(trim(item)) > 0), 
	CONSTRAINT ck_reaction_valid CHECK (reaction IN ('unknown', 'liked', 'neutral', 'disliked')), 
	CONSTRAINT ck_cost CHECK (cost_cents IS NULL OR cost_cents >= 0), 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE
);

CREATE INDEX ix_gift_customer_id ON gift (customer_id);

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
	CONSTRAINT ck_kind_valid CHECK (kind IN ('birthday', 'anniversary', 'other')), 
	CONSTRAINT ck_month_range CHECK (month BETWEEN 1 AND 12), 
	CONSTRAINT ck_day_range CHECK (day BETWEEN 1 AND 31), 
	CONSTRAINT ck_leap_only_lunar CHECK (lunar = 1 OR leap = 0), 
	CONSTRAINT ck_lunar_day CHECK (lunar = 0 OR day <= 30), 
	CONSTRAINT ck_lead_days CHECK (lead_days BETWEEN 0 AND 60), 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE
);

CREATE INDEX ix_important_date_customer_id ON important_date (customer_id);

CREATE TABLE touchpoint (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	source_key VARCHAR NOT NULL, 
	occurrence DATE NOT NULL, 
	due_date DATE NOT NULL, 
	status VARCHAR NOT NULL, 
	reason VARCHAR NOT NULL, 
	note VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	handled_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_kind_valid CHECK (kind IN ('call', 'visit', 'gift', 'message', 'email', 'thanks', 'festival', 'complaint')), 
	CONSTRAINT ck_status_valid CHECK (status IN ('planned', 'done', 'skipped', 'snoozed')), 
	CONSTRAINT ck_source_key_not_blank CHECK (length(trim(source_key)) > 0), 
	CONSTRAINT uq_touch_occurrence UNIQUE (customer_id, source_key, occurrence), 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE
);

CREATE INDEX ix_touch_status_due ON touchpoint (status, due_date);

CREATE INDEX ix_touchpoint_customer_id ON touchpoint (customer_id);

CREATE TABLE complaint_step (
	id INTEGER NOT NULL, 
	complaint_id INTEGER NOT NULL, 
	step INTEGER NOT NULL, 
	notes VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_step CHECK (step BETWEEN 1 AND 9), 
	CONSTRAINT uq_complaint_step UNIQUE (complaint_id, step), 
	FOREIGN KEY(complaint_id) REFERENCES complaint (id) ON DELETE CASCADE
);

CREATE TABLE interaction (
	id INTEGER NOT NULL, 
	customer_id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	happened_at DATETIME NOT NULL, 
	notes VARCHAR NOT NULL, 
	outcome VARCHAR NOT NULL, 
	touchpoint_id INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_kind_valid CHECK (kind IN ('call', 'visit', 'gift', 'message', 'email', 'thanks', 'festival', 'complaint')), 
	FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE, 
	FOREIGN KEY(touchpoint_id) REFERENCES touchpoint (id) ON DELETE SET NULL
);

CREATE INDEX ix_interaction_customer_kind_time ON interaction (customer_id, kind, happened_at);
