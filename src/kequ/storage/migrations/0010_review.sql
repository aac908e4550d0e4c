-- kequ schema version 10: the weekly review counts contacts by day over the last thirteen
-- weeks (kequ.storage.fast_reads.review); an index on the time of each contact lets it read
-- those weeks alone instead of every contact ever logged. Never edit a released step; add
-- the next numbered file instead.

CREATE INDEX ix_interaction_happened_at ON interaction (happened_at);
