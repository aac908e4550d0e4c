-- kequ schema version 8: a planned touch may have a time of day ("HH:MM"), as a trip visit
-- has: 明天下午4点电话 is planned for tomorrow at 16:00, and kequ remind alerts before it as
-- before a timed visit. NULL: no time, the day only. Never edit a released step; add the
-- next numbered file instead.

ALTER TABLE touchpoint ADD COLUMN due_time VARCHAR;
