-- kequ schema version 10: the weekly review counts contacts per day and kind over the last
-- thirteen weeks, and the calls and visits a rhythm put due in them
-- (kequ.storage.fast_reads.review). An index on each contact's kind and time, with its
-- customer, lets it read those days of that kind from the index alone instead of every
-- contact ever logged. Never edit a released step; add the next numbered file instead.

CREATE INDEX ix_interaction_kind_time ON interaction (kind, happened_at, customer_id);
