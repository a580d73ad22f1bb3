-- Seed data so local stacks and previews are not empty.
INSERT INTO core.networks (name, country_code)
VALUES ('Bravo', 'US'), ('MTV', 'US'), ('ITV2', 'GB'), ('Netflix', NULL)
ON CONFLICT (name) DO NOTHING;

INSERT INTO core.shows (title, handle, network_id, status, premiere_date)
SELECT v.title, v.handle, n.id, v.status::core.show_status, v.premiere_date::date
FROM (VALUES
    ('The Real Housewives of Beverly Hills', 'rhobh', 'Bravo', 'airing', '2010-10-14'),
    ('Vanderpump Rules', 'pump-rules', 'Bravo', 'airing', '2013-01-07'),
    ('Love Island', NULL, 'ITV2', 'airing', '2015-06-07'),
    ('The Hills', 'the-hills', 'MTV', 'ended', '2006-05-31')
) AS v(title, handle, network, status, premiere_date)
JOIN core.networks n ON n.name = v.network;

INSERT INTO core.seasons (show_id, season_number)
SELECT s.id, g.n FROM core.shows s CROSS JOIN generate_series(1, 3) AS g(n);

INSERT INTO core.episodes (season_id, episode_number, title, runtime_minutes)
SELECT se.id, g.n, 'Episode ' || g.n, 42 FROM core.seasons se CROSS JOIN generate_series(1, 4) AS g(n);

INSERT INTO core.people (full_name, instagram_handle)
VALUES ('Lisa Vanderpump', 'lisavanderpump'), ('Kyle Richards', 'kylerichards18'), ('Ariana Madix', NULL);

INSERT INTO core.cast_members (show_id, person_id, credit, first_season)
SELECT s.id, p.id, 'main', 1
FROM core.shows s JOIN core.people p ON true
WHERE s.handle IN ('rhobh', 'pump-rules');
