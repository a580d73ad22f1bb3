-- Show lifecycle and the kinds of credit a cast member gets.
CREATE TYPE core.show_status AS ENUM ('announced', 'airing', 'ended');

-- Written so it can be re-run on the staging database, where someone
-- created the type by hand.
DO $$
BEGIN
    CREATE TYPE core.credit_kind AS ENUM ('main', 'friend', 'guest', 'host');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;
