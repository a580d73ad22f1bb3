//! Snapshots of full plan files (SQL and rollback) for hand-built Catalogs,
//! plus ordering and determinism checks.

#[path = "common/plan_catalogs.rs"]
mod catalogs;

use catalogs::*;
use engine::plan::{Plan, PlanOptions, plan};
use schema::Catalog;

/// Every file of the plan, then its rollback, as a user reads them.
fn render(plan: &Plan) -> String {
    let mut out = String::new();
    for file in &plan.files {
        out.push_str(&format!("==== {}.sql ====\n{}\n", file.slug, file.sql));
        out.push_str(&format!(
            "==== {}.rollback.sql ====\n{}\n",
            file.slug, file.rollback_sql
        ));
    }
    for u in &plan.unsupported {
        out.push_str(&format!(
            "==== unsupported: {} ====\n{}\n",
            u.object.name, u.reason
        ));
    }
    out
}

fn planned((current, desired): (Catalog, Catalog)) -> Plan {
    plan(&current, &desired, &options())
}

fn summaries(plan: &Plan) -> Vec<String> {
    plan.steps().map(|s| s.summary.clone()).collect()
}

fn position(plan: &Plan, needle: &str) -> usize {
    summaries(plan)
        .iter()
        .position(|s| s.contains(needle))
        .unwrap_or_else(|| panic!("no step mentions `{needle}` in {:#?}", summaries(plan)))
}

#[test]
fn new_tables_with_every_column_feature() {
    let plan = planned(new_tables());
    assert_eq!(
        plan.files.len(),
        1,
        "new tables need no concurrent or contract file"
    );
    assert!(
        position(&plan, "create schema core") < position(&plan, "create enum core.show_status")
    );
    assert!(position(&plan, "create enum") < position(&plan, "create table core.shows"));
    assert!(
        position(&plan, "create table core.orgs")
            < position(&plan, "add foreign key core.shows_org_id_fkey")
    );
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn foreign_key_cycle_between_two_tables() {
    let plan = planned(fk_cycle());
    let s = summaries(&plan);
    let last_table =
        position(&plan, "create table core.b").max(position(&plan, "create table core.a"));
    assert!(position(&plan, "a_b_id_fkey") > last_table, "{s:#?}");
    assert!(position(&plan, "b_a_id_fkey") > last_table, "{s:#?}");
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn self_referencing_foreign_key() {
    insta::assert_snapshot!(render(&planned(self_reference())));
}

#[test]
fn add_column_and_index_to_existing_table() {
    let plan = planned(add_to_existing());
    let slugs: Vec<&str> = plan.files.iter().map(|f| f.slug.as_str()).collect();
    // The new constraint is validated at cutover.
    assert_eq!(slugs, ["expand", "expand_indexes", "cutover"]);
    assert!(!plan.files[1].transactional);
    assert!(
        plan.files[1]
            .sql
            .contains("CREATE INDEX CONCURRENTLY shows_org_slug ON core.shows (org_id, slug);")
    );
    assert!(!plan.files[1].sql.contains("BEGIN;"));
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn drops_go_to_contract() {
    let (current, desired) = drops();
    let options = PlanOptions {
        managed_schemas: drops_managed(),
        ..options()
    };
    let plan = plan(&current, &desired, &options);
    let contract = plan
        .files
        .iter()
        .find(|f| f.slug == "contract")
        .expect("a contract file");
    assert!(contract.is_destructive());
    // Foreign keys first, then tables, then the types and schemas they used.
    assert!(
        position(&plan, "drop foreign key core.a_b_id_fkey") < position(&plan, "drop table core.b")
    );
    assert!(
        position(&plan, "drop table core.shows") < position(&plan, "drop enum core.show_status")
    );
    assert!(position(&plan, "drop column core.orgs.name") < position(&plan, "drop schema old"));
    assert!(
        position(&plan, "drop index core.orgs_name")
            < position(&plan, "drop column core.orgs.name")
    );
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn type_changes() {
    let plan = planned(type_change());
    let contract = plan
        .files
        .iter()
        .find(|f| f.slug == "contract")
        .expect("narrowing is contract");
    assert!(
        contract
            .sql
            .contains("TYPE numeric(8,1) USING price::numeric(8,1)")
    );
    assert!(position(&plan, "change type of core.items.id") < position(&plan, "add identity"));
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn enum_values_added_in_place() {
    let plan = planned(enum_value_added());
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn enum_label_removal() {
    let plan = planned(enum_removal());
    assert_eq!(plan.unsupported.len(), 1);
    assert_eq!(plan.unsupported[0].object.name, "core.used");
    assert!(position(&plan, "drop enum core.unused") < position(&plan, "create enum core.unused"));
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn quoted_identifiers() {
    let plan = planned(quoted());
    let sql = &plan.files[0].sql;
    for needle in [
        "public.\"Shows\"",
        "\"my column\"",
        "\"user\"",
        "public.\"my table\"",
        "\"a\"\"b\"",
        "'It''s a \"show\"'",
    ] {
        assert!(sql.contains(needle), "missing {needle} in\n{sql}");
    }
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn comments_set_changed_cleared() {
    insta::assert_snapshot!(render(&planned(comments())));
}

#[test]
fn unmanaged_schemas_are_never_touched() {
    let (current, desired) = drops();
    let options = PlanOptions {
        managed_schemas: vec![catalogs::id("public")],
        ..options()
    };
    let plan = plan(&current, &desired, &options);
    assert!(plan.is_empty(), "{:#?}", summaries(&plan));
}

#[test]
fn nothing_to_do_is_empty() {
    let (_, desired) = new_tables();
    let plan = plan(&desired, &desired, &options());
    assert!(plan.is_empty() && plan.files.is_empty() && plan.unsupported.is_empty());
}

#[test]
fn deterministic_whatever_the_construction_order() {
    let (current, desired) = new_tables();
    let first = render(&plan(&current, &desired, &options()));
    assert_eq!(first, render(&plan(&current, &desired, &options())));

    // The same catalog assembled in reverse order of insertion.
    let mut reversed = Catalog::default();
    for (k, v) in desired.indexes.iter().rev() {
        reversed.indexes.insert(k.clone(), v.clone());
    }
    for (k, v) in desired.tables.iter().rev() {
        let mut t = v.clone();
        let constraints: Vec<_> = t.constraints.clone().into_iter().rev().collect();
        t.constraints.clear();
        t.constraints.extend(constraints);
        reversed.tables.insert(k.clone(), t);
    }
    for (k, v) in desired.enums.iter().rev() {
        reversed.enums.insert(k.clone(), v.clone());
    }
    reversed.extensions = desired.extensions.clone();
    reversed.schemas = desired.schemas.clone();
    assert_eq!(first, render(&plan(&current, &reversed, &options())));

    let (c, d) = drops();
    let o = PlanOptions {
        managed_schemas: drops_managed(),
        ..options()
    };
    assert_eq!(render(&plan(&c, &d, &o)), render(&plan(&c, &d, &o)));
}

#[test]
fn replaced_constraints_indexes_and_generated_columns() {
    let plan = planned(replacements());
    assert!(
        position(&plan, "drop foreign key core.members_org_name_fkey")
            < position(&plan, "drop unique constraint core.orgs_name_key")
    );
    assert!(
        position(&plan, "add unique constraint core.orgs_name_key")
            < position(&plan, "add foreign key core.members_org_name_fkey")
    );
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn steps_waiting_for_a_concurrent_index_move_after_it() {
    let plan = planned(fk_to_new_unique_index());
    let slugs: Vec<&str> = plan.files.iter().map(|f| f.slug.as_str()).collect();
    assert_eq!(
        slugs,
        ["expand_indexes", "cutover"],
        "{:#?}",
        summaries(&plan)
    );
    assert!(
        position(&plan, "create unique index core.p_code_idx")
            < position(&plan, "add foreign key core.c_p_code_fkey")
    );
}

// ---- Security surface: access labels in every format.

/// The plan in the three review formats, as a user reads them.
fn reports(plan: &Plan) -> String {
    use engine::report::{Format, render as report};
    format!(
        "==== text ====\n{}\n==== markdown ====\n{}\n==== json ====\n{}",
        report(plan, Format::Text),
        report(plan, Format::Markdown),
        report(plan, Format::Json)
    )
}

fn access_of(plan: &Plan, needle: &str) -> Vec<String> {
    let step = plan
        .steps()
        .find(|s| s.summary.contains(needle))
        .unwrap_or_else(|| panic!("no step mentions `{needle}` in {:#?}", summaries(plan)));
    step.access
        .iter()
        .map(|a| {
            format!(
                "{} {}{}",
                a.role,
                a.effect.word(),
                if a.flagged { " flagged" } else { "" }
            )
        })
        .collect()
}

#[test]
fn new_public_tables_show_default_grants_to_anon() {
    let plan = planned(public_tables());
    let feed = access_of(&plan, "create table public.feed");
    assert!(
        feed.contains(&"anon widens flagged".to_string()),
        "{feed:?}"
    );
    let notes = access_of(&plan, "create table public.notes");
    assert!(notes.contains(&"anon neutral".to_string()), "{notes:?}");
    assert_eq!(
        access_of(&plan, "create policy public.notes.\"anyone writes\""),
        ["public widens flagged"]
    );
    assert!(position(&plan, "create table public.notes") < position(&plan, "revoke"));
    insta::assert_snapshot!(reports(&plan));
}

#[test]
fn functions_come_before_the_policies_that_call_them() {
    let plan = planned(policies_calling_functions());
    let function = position(&plan, "create function core.is_member");
    assert!(position(&plan, "create table core.memberships") < function);
    assert!(function < position(&plan, "create policy core.shows.shows_member_select"));
    assert!(
        position(&plan, "create table core.memberships")
            < position(&plan, "create policy core.shows.shows_admin_update")
    );
    insta::assert_snapshot!(render(&plan));
    insta::assert_snapshot!("functions_reports", reports(&plan));
}

#[test]
fn views_and_policies_step_aside_for_a_column_type_change() {
    let plan = planned(view_on_retyped_column());
    let retype = position(&plan, "change type of core.shows.title");
    for drop in [
        "drop view core.titles",
        "drop view core.long_titles",
        "drop policy core.shows.shows_titled",
    ] {
        assert!(position(&plan, drop) < retype, "{drop}");
    }
    assert!(
        position(&plan, "drop view core.long_titles") < position(&plan, "drop view core.titles")
    );
    for create in [
        "create view core.titles",
        "create view core.long_titles",
        "create policy core.shows.shows_titled_select",
    ] {
        assert!(position(&plan, create) > retype, "{create}");
    }
    assert!(
        summaries(&plan)
            .contains(&"rename policy core.shows.shows_reader to shows_owner_select".to_string())
    );
    assert_eq!(
        access_of(&plan, "alter policy core.shows.shows_owner"),
        ["anon widens flagged", "authenticated widens flagged"]
    );
    insta::assert_snapshot!(render(&plan));
    insta::assert_snapshot!("retype_reports", reports(&plan));
}

#[test]
fn a_new_signature_recreates_the_function_and_its_dependents() {
    let plan = planned(function_signature_change());
    let drop = position(&plan, "drop function core.score(integer)");
    let create = position(&plan, "recreate function core.score(integer)");
    for before in [
        "drop trigger items_touch",
        "drop policy core.items.items_scored",
        "drop default of core.items.n",
        "drop check constraint core.items_n_scored",
    ] {
        assert!(position(&plan, before) < drop, "{before}");
    }
    for after in [
        "create trigger items_touch",
        "recreate policy core.items.items_scored",
        "set default of core.items.n",
        "add check constraint core.items_n_scored",
    ] {
        assert!(position(&plan, after) > create, "{after}");
    }
    assert!(
        summaries(&plan)
            .iter()
            .any(|s| s == "replace function core.touch()")
    );
    let slugs: Vec<&str> = plan.files.iter().map(|f| f.slug.as_str()).collect();
    assert_eq!(slugs, ["expand"]);
    insta::assert_snapshot!(render(&plan));
}

#[test]
fn grants_default_privileges_and_storage_policies() {
    let plan = planned(grants_and_defaults());
    let defaults = position(&plan, "default privileges in schema core");
    assert!(defaults < position(&plan, "create table core.items"));
    assert!(
        access_of(&plan, "create table core.items").contains(&"authenticated widens".to_string())
    );
    assert_eq!(
        access_of(&plan, "disable row level security on core.shows"),
        ["service_role widens flagged"]
    );
    assert_eq!(
        access_of(&plan, "grant SELECT on TABLE core.items to anon"),
        ["anon widens flagged"]
    );
    // Revokes first.
    assert!(position(&plan, "revoke") < position(&plan, "grant"));
    insta::assert_snapshot!(reports(&plan));
}

#[test]
fn security_plans_are_deterministic() {
    for scenario in [
        public_tables,
        policies_calling_functions,
        view_on_retyped_column,
        function_signature_change,
        grants_and_defaults,
    ] {
        let (c, d) = scenario();
        assert_eq!(
            reports(&plan(&c, &d, &options())),
            reports(&plan(&c, &d, &options()))
        );
        // Applying the desired state to itself plans nothing.
        assert!(plan(&d, &d, &options()).is_empty());
    }
}
