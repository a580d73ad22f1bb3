//! Functions, triggers and views: create, replace in place, drop, and
//! comments on functions and views.

use super::*;
use crate::diff::RoutineComment;
use schema::{ArgMode, Function, FunctionReturn, Trigger, TriggerEvent, TriggerTiming, View};

/// Settings whose value is a list of names (`GUC_LIST_QUOTE`):
/// `proconfig` holds them with each name quoted where it needs it.
const LIST_SETTINGS: &[&str] = &[
    "search_path",
    "temp_tablespaces",
    "session_preload_libraries",
    "shared_preload_libraries",
    "local_preload_libraries",
];

/// A `SET` value as PostgreSQL stores it in `proconfig`, written back. For
/// a list setting, `""` (the empty search path) is `''` and a list of
/// names (`"$user", public`) stays as it is; any other value (`2s`, `on`,
/// text) is a string literal, so that it is stored exactly.
fn config_value(key: &str, value: &str) -> String {
    if !LIST_SETTINGS.contains(&key) {
        return literal(value);
    }
    if value == "\"\"" {
        return "''".into();
    }
    if value.split(',').all(|part| is_config_name(part.trim())) {
        value.to_string()
    } else {
        literal(value)
    }
}

/// A bare name (`public`, `$user` is not: it needs its quotes) or one
/// well-formed quoted identifier, whose inner quotes are all doubled.
fn is_config_name(part: &str) -> bool {
    if let Some(inner) = part
        .strip_prefix('"')
        .and_then(|p| p.strip_suffix('"'))
        .filter(|inner| !inner.is_empty())
    {
        return !inner.replace("\"\"", "").contains('"');
    }
    part.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

pub(crate) fn create_function(f: &Function, replace: bool) -> String {
    let args = f
        .args
        .iter()
        .map(|a| {
            let mut s = String::new();
            match a.mode {
                ArgMode::In | ArgMode::Table => {}
                ArgMode::Out => s.push_str("OUT "),
                ArgMode::InOut => s.push_str("INOUT "),
                ArgMode::Variadic => s.push_str("VARIADIC "),
            }
            if let Some(n) = &a.name {
                s.push_str(&format!("{n} "));
            }
            s.push_str(a.ty.as_str());
            if let Some(d) = &a.default {
                s.push_str(&format!(" DEFAULT {}", d.sql()));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ");
    let returns = match &f.returns {
        FunctionReturn::Type { ty } => ty.to_string(),
        FunctionReturn::SetOf { ty } => format!("SETOF {ty}"),
        FunctionReturn::Table { columns } => format!(
            "TABLE ({})",
            columns
                .iter()
                .map(|(n, t)| format!("{n} {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut out = format!(
        "CREATE {}FUNCTION {}({args})\n    RETURNS {returns}\n    LANGUAGE {}",
        if replace { "OR REPLACE " } else { "" },
        f.name,
        schema::ident::quote_ident(&f.language)
    );
    match f.volatility {
        schema::Volatility::Volatile => {}
        schema::Volatility::Stable => out.push_str(" STABLE"),
        schema::Volatility::Immutable => out.push_str(" IMMUTABLE"),
    }
    if f.strict {
        out.push_str(" STRICT");
    }
    if f.security_definer {
        out.push_str(" SECURITY DEFINER");
    }
    if f.leakproof {
        out.push_str(" LEAKPROOF");
    }
    match f.parallel {
        schema::Parallel::Unsafe => {}
        schema::Parallel::Restricted => out.push_str(" PARALLEL RESTRICTED"),
        schema::Parallel::Safe => out.push_str(" PARALLEL SAFE"),
    }
    for (k, v) in &f.config {
        out.push_str(&format!(
            "\n    SET {} = {}",
            sql::setting_name(k),
            config_value(k, v)
        ));
    }
    out.push_str(&format!("\nAS {};", sql::dollar_quote(&f.body, "function")));
    if let Some(c) = &f.comment {
        out.push_str(&format!(
            "\nCOMMENT ON FUNCTION {} IS {};",
            f.id(),
            literal(c)
        ));
    }
    out
}

fn drop_function(f: &Function) -> String {
    format!("DROP FUNCTION {};", f.id())
}

pub(crate) fn create_trigger(t: &Trigger, replace: bool) -> String {
    let timing = match t.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events = t
        .events
        .iter()
        .map(|e| match e {
            TriggerEvent::Insert => "INSERT".to_string(),
            TriggerEvent::Update { columns } if columns.is_empty() => "UPDATE".to_string(),
            TriggerEvent::Update { columns } => format!("UPDATE OF {}", sql::column_list(columns)),
            TriggerEvent::Delete => "DELETE".to_string(),
            TriggerEvent::Truncate => "TRUNCATE".to_string(),
        })
        .collect::<Vec<_>>()
        .join(" OR ");
    let mut out = format!(
        "CREATE {}{}TRIGGER {} {timing} {events} ON {}",
        if replace { "OR REPLACE " } else { "" },
        if t.constraint.is_some() {
            "CONSTRAINT "
        } else {
            ""
        },
        t.name,
        t.table,
    );
    if let Some(d) = t.constraint {
        out.push_str(d.sql());
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        out.push_str(" REFERENCING");
        if let Some(old) = &t.old_table {
            out.push_str(&format!(" OLD TABLE AS {old}"));
        }
        if let Some(new) = &t.new_table {
            out.push_str(&format!(" NEW TABLE AS {new}"));
        }
    }
    out.push_str(if t.for_each_row {
        " FOR EACH ROW"
    } else {
        " FOR EACH STATEMENT"
    });
    if let Some(when) = &t.when {
        out.push_str(&format!(" WHEN ({})", when.sql()));
    }
    let args = t
        .args
        .iter()
        .map(|a| literal(a))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str(&format!(" EXECUTE FUNCTION {}({args});", t.function));
    out
}

fn drop_trigger(t: &Trigger) -> String {
    format!("DROP TRIGGER {} ON {};", t.name, t.table)
}

fn view_word(v: &View) -> &'static str {
    if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

pub(crate) fn create_view(v: &View, replace: bool) -> String {
    let mut out = format!(
        "CREATE {}{} {}",
        if replace { "OR REPLACE " } else { "" },
        view_word(v),
        v.name
    );
    if !v.columns.is_empty() {
        out.push_str(&format!(" ({})", sql::column_list(&v.columns)));
    }
    let mut options = Vec::new();
    if v.security_invoker {
        options.push("security_invoker = true");
    }
    if v.security_barrier {
        options.push("security_barrier = true");
    }
    if !options.is_empty() {
        out.push_str(&format!(" WITH ({})", options.join(", ")));
    }
    out.push_str(&format!(" AS\n{}", v.query.sql()));
    match v.check_option {
        Some(schema::CheckOption::Local) => out.push_str("\nWITH LOCAL CHECK OPTION"),
        Some(schema::CheckOption::Cascaded) => out.push_str("\nWITH CASCADED CHECK OPTION"),
        None => {}
    }
    out.push(';');
    if let Some(c) = &v.comment {
        out.push_str(&format!(
            "\nCOMMENT ON {} {} IS {};",
            view_word(v),
            v.name,
            literal(c)
        ));
    }
    out
}

fn drop_view(v: &View) -> String {
    format!("DROP {} {};", view_word(v), v.name)
}

/// `ALTER VIEW … SET (…)` / `RESET (…)` turning `from`'s options into `to`'s.
fn view_options(from: &View, to: &View) -> String {
    let mut set = Vec::new();
    let mut reset = Vec::new();
    for (name, a, b) in [
        (
            "security_invoker",
            from.security_invoker,
            to.security_invoker,
        ),
        (
            "security_barrier",
            from.security_barrier,
            to.security_barrier,
        ),
    ] {
        if a != b {
            if b {
                set.push(format!("{name} = true"));
            } else {
                reset.push(name.to_string());
            }
        }
    }
    if from.check_option != to.check_option {
        match to.check_option {
            Some(schema::CheckOption::Local) => set.push("check_option = local".into()),
            Some(schema::CheckOption::Cascaded) => set.push("check_option = cascaded".into()),
            None => reset.push("check_option".into()),
        }
    }
    let mut out = Vec::new();
    if !set.is_empty() {
        out.push(format!("ALTER VIEW {} SET ({});", to.name, set.join(", ")));
    }
    if !reset.is_empty() {
        out.push(format!(
            "ALTER VIEW {} RESET ({});",
            to.name,
            reset.join(", ")
        ));
    }
    out.join("\n")
}

fn view_kind(v: &View) -> ObjectKind {
    if v.materialized {
        ObjectKind::MaterializedView
    } else {
        ObjectKind::View
    }
}

fn comment_sql(target: &RoutineComment, text: Option<&String>) -> String {
    let value = text.map_or_else(|| "NULL".to_string(), |t| literal(t));
    match target {
        RoutineComment::Function(id) => format!("COMMENT ON FUNCTION {id} IS {value};"),
        RoutineComment::View { name, materialized } => format!(
            "COMMENT ON {} {name} IS {value};",
            if *materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            }
        ),
    }
}

/// `sql` followed by the statements that give `on` back its privileges.
fn with_grants(
    sql: String,
    on: schema::GrantTarget,
    class: schema::ObjectClass,
    env: &Env,
) -> String {
    let mut out = vec![sql];
    out.extend(restore_grants(&on, class, env));
    out.join("\n")
}

pub(super) fn draft(change: &Change, env: &Env) -> Option<Parts> {
    use Action::*;
    use FileKind::*;
    Some(match change {
        Change::CreateFunction { function, replaces } => (
            step(
                obj(ObjectKind::Function, function.id()),
                Create,
                format!(
                    "{} function {}",
                    if replaces.is_some() {
                        "recreate"
                    } else {
                        "create"
                    },
                    function.id()
                ),
                create_function(function, false),
                sql_rollback(drop_function(function)),
                vec![],
            ),
            Expand,
            11,
            None,
        ),
        Change::ReplaceFunction { from, to } => (
            step(
                obj(ObjectKind::Function, to.id()),
                Alter,
                format!("replace function {}", to.id()),
                create_function(to, true),
                sql_rollback(create_function(from, true)),
                vec![],
            ),
            Expand,
            11,
            None,
        ),
        Change::DropFunction { function, replaced } => (
            step(
                obj(ObjectKind::Function, function.id()),
                Drop,
                format!(
                    "drop function {}{}",
                    function.id(),
                    if *replaced {
                        " (to recreate it with a new signature)"
                    } else {
                        ""
                    }
                ),
                drop_function(function),
                sql_rollback(with_grants(
                    create_function(function, false),
                    schema::GrantTarget::Function {
                        function: function.id(),
                    },
                    schema::ObjectClass::Function,
                    env,
                )),
                vec![],
            ),
            if *replaced { Expand } else { Contract },
            6,
            None,
        ),
        Change::CreateTrigger(t) => (
            step(
                obj(ObjectKind::Trigger, format!("{}.{}", t.table, t.name)),
                Create,
                format!("create trigger {} on {}", t.name, t.table),
                create_trigger(t, false),
                sql_rollback(drop_trigger(t)),
                vec![],
            ),
            Expand,
            21,
            None,
        ),
        Change::ReplaceTrigger { from, to } => (
            step(
                obj(ObjectKind::Trigger, format!("{}.{}", to.table, to.name)),
                Alter,
                format!("replace trigger {} on {}", to.name, to.table),
                create_trigger(to, true),
                sql_rollback(create_trigger(from, true)),
                vec![],
            ),
            Expand,
            21,
            None,
        ),
        Change::DropTrigger { trigger, replaced } => (
            step(
                obj(
                    ObjectKind::Trigger,
                    format!("{}.{}", trigger.table, trigger.name),
                ),
                Drop,
                format!(
                    "drop trigger {} on {}{}",
                    trigger.name,
                    trigger.table,
                    if *replaced { " (to recreate it)" } else { "" }
                ),
                drop_trigger(trigger),
                sql_rollback(create_trigger(trigger, false)),
                vec![],
            ),
            if *replaced { Expand } else { Contract },
            3,
            None,
        ),
        Change::CreateView(v) => (
            step(
                obj(view_kind(v), &v.name),
                Create,
                format!("create {} {}", view_word(v).to_lowercase(), v.name),
                create_view(v, false),
                sql_rollback(drop_view(v)),
                vec![],
            ),
            Expand,
            20,
            None,
        ),
        Change::ReplaceView { from, to } => (
            step(
                obj(view_kind(to), &to.name),
                Alter,
                format!("replace view {} (columns appended)", to.name),
                create_view(to, true),
                // The appended columns cannot be removed in place.
                sql_rollback(with_grants(
                    format!("{}\n{}", drop_view(to), create_view(from, false)),
                    schema::GrantTarget::Table {
                        table: from.name.clone(),
                    },
                    schema::ObjectClass::Table,
                    env,
                )),
                vec![],
            ),
            Expand,
            20,
            None,
        ),
        Change::AlterViewOptions { from, to } => (
            step(
                obj(view_kind(to), &to.name),
                Alter,
                format!("set options of view {}", to.name),
                view_options(from, to),
                sql_rollback(view_options(to, from)),
                vec![],
            ),
            Expand,
            20,
            None,
        ),
        Change::DropView { view, replaced } => (
            step(
                obj(view_kind(view), &view.name),
                Drop,
                format!(
                    "drop {} {}{}",
                    view_word(view).to_lowercase(),
                    view.name,
                    if *replaced { " (to recreate it)" } else { "" }
                ),
                drop_view(view),
                sql_rollback(with_grants(
                    create_view(view, false),
                    schema::GrantTarget::Table {
                        table: view.name.clone(),
                    },
                    schema::ObjectClass::Table,
                    env,
                )),
                vec![],
            ),
            if *replaced { Expand } else { Contract },
            3,
            None,
        ),
        Change::SetRoutineComment { target, from, to } => {
            let (kind, name) = match target {
                RoutineComment::Function(id) => (ObjectKind::Function, id.to_string()),
                RoutineComment::View { name, materialized } => (
                    if *materialized {
                        ObjectKind::MaterializedView
                    } else {
                        ObjectKind::View
                    },
                    name.to_string(),
                ),
            };
            (
                step(
                    obj(kind, &name),
                    Alter,
                    format!(
                        "{} comment on {name}",
                        if to.is_some() { "set" } else { "clear" }
                    ),
                    comment_sql(target, to.as_ref()),
                    sql_rollback(comment_sql(target, from.as_ref())),
                    vec![],
                ),
                Expand,
                40,
                None,
            )
        }
        _ => return None,
    })
}

/// Pairs the drop half of a replaced object with its create, so both land
/// in the same file.
pub(crate) fn pair(change: &Change) -> Option<String> {
    Some(match change {
        Change::DropPolicy {
            policy,
            replaced: true,
        }
        | Change::CreatePolicy {
            policy,
            replaces: Some(_),
        } => {
            format!("policy {}.{}", policy.table, policy.name)
        }
        Change::DropFunction {
            function,
            replaced: true,
        }
        | Change::CreateFunction {
            function,
            replaces: Some(_),
        } => {
            format!("function {}", function.id())
        }
        Change::DropTrigger {
            trigger: t,
            replaced: true,
        }
        | Change::CreateTrigger(t) => {
            format!("trigger {}.{}", t.table, t.name)
        }
        Change::DropView {
            view: v,
            replaced: true,
        }
        | Change::CreateView(v) => {
            format!("view {}", v.name)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn config_values() {
        let path = |v| super::config_value("search_path", v);
        assert_eq!(path("\"\""), "''");
        assert_eq!(path("\"$user\", public"), "\"$user\", public");
        assert_eq!(path("extensions"), "extensions");
        assert_eq!(path("\"Odd\"\"Name\""), "\"Odd\"\"Name\"");
        // A value that only looks quoted at its ends is a literal.
        assert_eq!(
            path("\"a\"; drop table t; select \"b\""),
            "'\"a\"; drop table t; select \"b\"'"
        );
        assert_eq!(super::config_value("statement_timeout", "2s"), "'2s'");
        assert_eq!(super::config_value("app.note", "\"$$\""), "'\"$$\"'");
    }
}
