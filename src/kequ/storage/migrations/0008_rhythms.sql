-- kequ schema version 6: rhythms as the user works. A tier's call and visit intervals are
-- settings now (rhythm.<tier>.<kind>, kequ.domain.rhythms), so the tier rows of cadence for
-- them move into the setting table; a customer's own rhythm stays in cadence, one row per
-- customer and kind (the newest of any duplicates is kept). Never edit a released step;
-- add the next numbered file instead.

INSERT OR IGNORE INTO setting ("key", value)
SELECT 'rhythm.' || tier || '.' || kind, interval_days
FROM cadence
WHERE tier IS NOT NULL AND kind IN ('call', 'visit');

DELETE FROM cadence WHERE tier IS NOT NULL AND kind IN ('call', 'visit');

DELETE FROM cadence
WHERE customer_id IS NOT NULL
  AND id NOT IN (SELECT max(id) FROM cadence WHERE customer_id IS NOT NULL GROUP BY customer_id, kind);

CREATE UNIQUE INDEX uq_cadence_customer_kind ON cadence (customer_id, kind) WHERE customer_id IS NOT NULL;
