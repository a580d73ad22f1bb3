create schema core;
create table core.announcements (id bigint generated always as identity primary key, body text not null);
grant select on core.announcements to authenticated;
