CREATE SCHEMA archive;
COMMENT ON SCHEMA archive IS 'Old data';
