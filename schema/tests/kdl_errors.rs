//! Every class of load error, rendered as the user sees it: the plain
//! `Display` (file:line:column per problem) and miette's graphical report.

use miette::{GraphicalReportHandler, GraphicalTheme};
use schema::Source;
use schema::lang::{LoadError, load_sources, load_sources_managed};
use schema::{Catalog, Ident};

fn report(files: &[(&str, &str)]) -> String {
    render(files, load_sources)
}

/// Loaded as `plan` loads them, with `schemas = ["core"]`.
fn report_core_managed(files: &[(&str, &str)]) -> String {
    render(files, |sources| {
        load_sources_managed(sources, &[Ident::new("core")])
    })
}

fn render(
    files: &[(&str, &str)],
    load: impl Fn(&[Source]) -> Result<Catalog, LoadError>,
) -> String {
    let sources: Vec<Source> = files.iter().map(|(p, t)| Source::new(*p, *t)).collect();
    let err = match load(&sources) {
        Ok(c) => panic!("expected errors, loaded {c:?}"),
        Err(e) => e,
    };
    let mut graphical = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut graphical, &err)
        .unwrap();
    format!("{err}\n\n{graphical}")
}

fn one(text: &str) -> String {
    report(&[("schema/core.kdl", text)])
}

#[test]
fn kdl_syntax_error() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid nullable=true\n}\n"
    ));
}

#[test]
fn unclosed_block() {
    insta::assert_snapshot!(one("table core.shows {\n    column id uuid\n"));
}

#[test]
fn unknown_node() {
    insta::assert_snapshot!(one(
        "tabel core.orgs { column id uuid }\ntable core.shows {\n    colum id uuid\n    soft-delete\n}\n"
    ));
}

#[test]
fn unknown_property() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid nullabel=#true\n    column t text colour=red\n}\n"
    ));
}

#[test]
fn missing_and_extra_arguments() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id\n    column title text varchar\n    check\n}\n"
    ));
}

#[test]
fn wrong_value_type() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid nullable=\"yes\"\n    column n int identity=sometimes\n    column m int generated=#null\n}\n"
    ));
}

#[test]
fn bad_type_name() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column price \"numeric(10,\"\n}\n"
    ));
}

#[test]
fn unparseable_sql_expression() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid default=\"gen_random_uuid(\"\n    column t text { check \"char_length(t) >\"; }\n}\n"
    ));
}

#[test]
fn duplicate_objects_across_files() {
    insta::assert_snapshot!(report(&[
        (
            "schema/a.kdl",
            "table core.shows {\n    column id uuid\n}\n"
        ),
        (
            "schema/b.kdl",
            "enum core.kind a b\n\ntable core.shows {\n    column id uuid\n}\n"
        ),
    ]));
}

#[test]
fn duplicate_objects_in_one_file() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid\n    column ID text\n    index shows_idx id\n    index shows_idx id\n}\n"
    ));
}

#[test]
fn missing_columns() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid\n    column org_id uuid\n    column title text\n    primary-key idd\n    unique org_idd title\n    index shows_t_idx titel include=\"org_id summary\"\n    foreign-key org { references core.orgs }\n}\n\ntable core.orgs {\n    column id uuid primary-key=#true\n}\n\ntable core.seasons {\n    column show_id uuid { references core.shows show_idd; }\n}\n"
    ));
}

#[test]
fn foreign_key_to_unknown_table() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid primary-key=#true\n    column org_id uuid { references core.org; }\n    column owner uuid { references auth.users; }\n}\n\ntable core.orgs {\n    column id uuid primary-key=#true\n}\n"
    ));
}

#[test]
fn enum_with_duplicate_labels() {
    insta::assert_snapshot!(one("enum core.status active paused active\n"));
}

#[test]
fn table_without_columns() {
    insta::assert_snapshot!(one("table core.shows {\n    comment \"nothing yet\"\n}\n"));
}

#[test]
fn syntax_error_after_non_ascii_text() {
    insta::assert_snapshot!(one(
        "// Séries télé\ntable core.shows {\n    column titre text comment=\"é\" nullable=false\n}\n"
    ));
}

#[test]
fn unknown_column_types() {
    // A typo of a built-in type, and an undeclared type in a schema the
    // files manage; `public.citext` (an extension's type) stays allowed.
    insta::assert_snapshot!(one(
        "schema core\nenum core.show_status active ended\ntable core.shows {\n    column title txet\n    column state core.show_state\n    column email citext\n    column status core.show_status\n    column at \"timestamp(3) with time zone\"\n}\n"
    ));
}

#[test]
fn unknown_columns_inside_expressions() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column starts date\n    column ends date\n    column total int generated=\"starts_day + 1\"\n    check \"ends > start\"\n    index shows_lower \"lower(titel)\" where=\"deleted_at is null\"\n}\n"
    ));
}

#[test]
fn names_that_need_sql_quotes() {
    // `Display Name` cannot be written bare in SQL; folding it silently to
    // `display name` would surprise, so the loader asks for quotes.
    insta::assert_snapshot!(one(
        "table \"core.\\\"my table\\\"\" {\n    column \"Display Name\" text\n    column \"1st\" int\n    column \"\\\"Kept\\\"\" int\n}\n"
    ));
}

#[test]
fn objects_outside_the_managed_schemas() {
    // `auth` is Supabase's; `archive` and `public` are the project's but not
    // in `schemas`. The reference to `auth.users` is fine.
    insta::assert_snapshot!(report_core_managed(&[
        (
            "schema/auth.kdl",
            "table auth.extra {\n    column id uuid { references auth.users id; }\n}\n"
        ),
        (
            "schema/core.kdl",
            "schema archive\nenum archive.kind a b\ntable shows {\n    column id uuid\n}\ntable core.ok {\n    column user_id uuid { references auth.users id; }\n}\n"
        ),
    ]));
}

#[test]
fn unknown_privilege_and_bad_role_list() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid\n    grant selct execute to=authenticated\n    revoke all from=\"anon, core.x\"\n    grant select to=\"\"\n}\n"
    ));
}

#[test]
fn policy_clauses_that_do_not_fit_the_command() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid\n    policy ins for=insert using=\"true\" check=\"true\"\n    policy sel for=select check=\"true\"\n    policy del for=delete check=#true using=#true\n    policy bad for=upsert\n}\n"
    ));
}

#[test]
fn unknown_template_and_template_option() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id uuid\n    column owner_id uuid\n    access ownr column=owner_id\n    access owner column=owner_id colum=owner_id\n    access role-based select=reader\n}\n"
    ));
}

#[test]
fn duplicate_policies_triggers_and_functions() {
    insta::assert_snapshot!(one(
        "function core.f returns=trigger language=plpgsql { body \"begin return new; end;\" }\n\
         function core.f returns=trigger language=plpgsql { body \"begin return null; end;\" }\n\
         table core.shows {\n    column id uuid\n    policy p using=#true\n    policy P using=#false\n    trigger t before insert execute=core.f\n    trigger t after insert execute=core.f\n    access service-bypass\n    policy shows_service_all using=#true\n}\n"
    ));
}

#[test]
fn trigger_function_with_parentheses_and_unknown_function() {
    insta::assert_snapshot!(one(
        "schema core\ntable core.shows {\n    column id uuid\n    trigger a before update execute=\"core.touch()\"\n    trigger b before update execute=core.missing\n    trigger c whenever update execute=core.missing\n}\n"
    ));
}

#[test]
fn view_query_that_does_not_parse() {
    insta::assert_snapshot!(one(
        "view core.v {\n    query \"\"\"\n        select id,\n        from core.shows\n        \"\"\"\n}\nmaterialized-view core.m security-invoker=#true {\n    columns a\n}\n"
    ));
}

#[test]
fn security_declarations_outside_the_managed_schemas() {
    insta::assert_snapshot!(report_core_managed(&[(
        "schema/core.kdl",
        "schema core\n\
         policy \"media read\" on=storage.objects for=select to=authenticated using=\"bucket_id = 'media'\"\n\
         policy \"stray\" on=other.t using=#true\n\
         function audit.f returns=void language=sql { body \"select\" }\n\
         view public.v { query \"select 1\" }\n\
         policy \"typo\" on=core.shws using=#true\n"
    )]));
}

#[test]
fn trigger_timing_that_does_not_fit_the_relation() {
    insta::assert_snapshot!(one(
        "function core.f returns=trigger language=plpgsql { body \"begin return new; end;\" }\n\
         table core.t {\n    column id uuid\n    trigger a instead-of insert execute=core.f\n}\n\
         view core.v {\n    query \"select id from core.t\"\n    trigger b instead-of update for-each=statement execute=core.f\n    trigger c after update execute=core.f\n    trigger d instead-of insert execute=core.f\n}\n"
    ));
}

#[test]
fn rollout_properties_that_contradict() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id bigint primary-key=#true\n    column handle text\n    column slug text renamed-from=handle\n    column code text renamed-from=code\n    column rating int backfill=\"0\" using=\"(meta->>'rating')::int\"\n    column note text nullable=#true backfill=\"''\"\n    column n bigint identity=always backfill=\"1\"\n    column score int backfill=\"1 +\"\n}\n\ntable core.seasons {\n    column id bigint primary-key=#true\n    column a text renamed-from=old\n    column b text renamed-from=old\n}\n"
    ));
}

#[test]
fn reverse_using_without_an_old_shape_to_write() {
    insta::assert_snapshot!(one(
        "table core.shows {\n    column id bigint primary-key=#true\n    column title text nullable=#true\n    column meta jsonb\n    column label text nullable=#true reverse-using=\"details->>'title'\"\n    column details jsonb nullable=#true using=\"jsonb_build_object('title', title, 'meta', meta)\" reverse-using=\"details->>'title'\"\n    column stamp timestamptz nullable=#true using=\"now()\" reverse-using=\"stamp::text\"\n    column year int nullable=#true using=\"(meta->>'year')::int\" reverse-using=\"year +\"\n}\n"
    ));
}
