-- kequ schema version 4: a customer's gender, optional ('female' or 'male'; NULL when not
-- said, and then guessed from the 称呼 in kequ.domain.gender). Never edit a released step;
-- add the next numbered file instead.
--
-- A plain ADD COLUMN: no row changes, and the customer table, which every other table
-- references, is not rebuilt. The check sits on the column, as the model declares it.

ALTER TABLE customer ADD COLUMN gender VARCHAR CONSTRAINT ck_gender_valid CHECK (gender IS NULL OR gender IN ('female', 'male'));
