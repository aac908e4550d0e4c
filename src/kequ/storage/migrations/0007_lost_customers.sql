-- kequ schema version 6: a lost customer (流失) keeps the note said when they were marked
-- and the day it happened; the reason was already there (customer.churn_reason, now one
-- of kequ.domain.vocab.ChurnReason). Never edit a released step; add the next numbered
-- file instead.
--
-- Plain ADD COLUMNs: no row changes, and the customer table, which every other table
-- references, is not rebuilt. Each column is written as the model declares it.

ALTER TABLE customer ADD COLUMN churn_note VARCHAR DEFAULT '' NOT NULL;

ALTER TABLE customer ADD COLUMN churned_on DATE;
