-- Shows can be on hiatus, and networks cancel them.
ALTER TYPE core.show_status ADD VALUE IF NOT EXISTS 'hiatus' BEFORE 'ended';
ALTER TYPE core.show_status ADD VALUE IF NOT EXISTS 'cancelled';

COMMENT ON TYPE core.show_status IS 'Lifecycle of a show, as the network announces it';
