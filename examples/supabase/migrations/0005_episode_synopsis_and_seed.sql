-- 0005: episode synopses, and the networks every environment starts with.

ALTER TABLE core.episodes ADD COLUMN synopsis text;

INSERT INTO core.orgs (slug, name) VALUES
    ('bravo', 'Bravo'),
    ('netflix', 'Netflix'),
    ('peacock', 'Peacock')
ON CONFLICT (slug) DO NOTHING;
