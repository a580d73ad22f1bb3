//! Runs a parsed DO body against the replay: takes the branch whose guard
//! the replayed Catalog decides, replays its statements, rolls a block back
//! to its state on entry when one of its handlers catches an error, and
//! notes everything it cannot follow.

use super::block::{Block, Span, Stmt};
use super::cond::{self, Ctx, Truth};
use super::dynamic::{self, Vars};
use super::lexer::{Tok, Token};
use super::probes;
use crate::replay::errors::{ReplayErrorKind, StmtError, StmtResult};
use crate::replay::notes::{self, MAY_CHANGE, OUTSIDE_MODEL, Remark, Severity};
use crate::replay::{Replay, label_of, split};

pub(super) struct Run<'a> {
    replay: &'a mut Replay,
    /// The body as read (the tokens' spans point into it).
    body: &'a str,
    toks: &'a [Token],
    /// Where the body starts in the DO statement, when offsets map 1:1
    /// (a dollar-quoted body); otherwise notes point at the body's start.
    base: Result<usize, usize>,
    vars: Vars,
    /// Variables whose value holds a run-time stand-in (`now()`, …), and
    /// the functions it came from.
    standins: std::collections::BTreeMap<String, Vec<String>>,
    found: Option<bool>,
    /// Modeled statements replayed, and skipped because a guard said so.
    pub followed: usize,
    pub skipped: usize,
    /// Errors an EXCEPTION handler caught (the block was rolled back).
    pub caught: usize,
    /// Notes (notice and warning) for statements inside the body, placed.
    pub remarks: Vec<Remark>,
    /// A `RETURN` ran: nothing after it does.
    returned: bool,
    /// An undecided IF whose branch may RETURN (its token and why): what
    /// follows is noted, not followed.
    cut: Option<(usize, String)>,
    cut_leaves: Vec<Leaf>,
}

/// How much a statement may matter to the Catalog, for branches not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Effect {
    Data,
    Outside,
    Model,
}

struct Leaf {
    effect: Effect,
    objects: Vec<String>,
}

impl<'a> Run<'a> {
    pub fn new(
        replay: &'a mut Replay,
        body: &'a str,
        toks: &'a [Token],
        base: Result<usize, usize>,
    ) -> Run<'a> {
        Run {
            replay,
            body,
            toks,
            base,
            vars: Vars::new(),
            standins: Default::default(),
            found: None,
            followed: 0,
            skipped: 0,
            caught: 0,
            remarks: Vec::new(),
            returned: false,
            cut: None,
            cut_leaves: Vec::new(),
        }
    }

    /// Offset in the DO statement of the body's byte `off`.
    fn pos(&self, off: usize) -> usize {
        match self.base {
            Ok(base) => base + off,
            Err(start) => start,
        }
    }

    fn slice(&self, span: Span) -> &[Token] {
        let end = span.end.min(self.toks.len());
        &self.toks[span.start.min(end)..end]
    }

    fn written(&self, span: Span) -> &str {
        let toks = self.slice(span);
        match (toks.first(), toks.last()) {
            (Some(a), Some(b)) => self.body.get(a.start..b.end).unwrap_or_default(),
            _ => "",
        }
    }

    fn at_token(&self, k: usize) -> usize {
        self.pos(self.toks.get(k).map_or(0, |t| t.start))
    }

    fn place(&mut self, mut remark: Remark, at: usize, statement: &str) {
        remark.at = at;
        remark
            .statement
            .get_or_insert_with(|| statement.to_string());
        self.remarks.push(remark);
    }

    pub fn block(&mut self, b: &Block) -> StmtResult {
        for (name, init) in &b.declare {
            let value = init.and_then(|span| dynamic::constant(self.slice(span), &self.vars));
            if let Some(span) = init {
                self.taint(name, *span);
            }
            self.vars.insert(name.clone(), value);
        }
        if b.handlers.is_empty() {
            return self.stmts(&b.body);
        }
        // A block with handlers is a subtransaction: an error caught by a
        // handler undoes everything the block did before it.
        let saved = (
            self.replay.catalog.clone(),
            self.remarks.len(),
            self.followed,
            self.skipped,
            self.vars.clone(),
        );
        match self.stmts(&b.body) {
            Ok(()) => Ok(()),
            Err(e) => {
                let condition = condition_of(&e);
                let handler = b.handlers.iter().find(|h| {
                    h.conditions.iter().any(|c| {
                        c == "others"
                            || *c == condition.0
                            || *c == format!("sqlstate {}", condition.1)
                    })
                });
                let Some(handler) = handler else {
                    return Err(e);
                };
                self.replay.catalog = saved.0;
                self.remarks.truncate(saved.1);
                self.followed = saved.2;
                self.skipped = saved.3;
                self.vars = saved.4;
                self.caught += 1;
                self.stmts(&handler.body)
            }
        }
    }

    fn stmts(&mut self, list: &[Stmt]) -> StmtResult {
        for (k, s) in list.iter().enumerate() {
            if self.returned {
                if self.cut.is_some() {
                    // Skipped only if an undecided branch returned.
                    let mut leaves = Vec::new();
                    self.leaves(&list[k..], &[], &mut leaves);
                    self.cut_leaves.extend(leaves);
                } else {
                    // What a RETURN skipped counts as skipped by a guard.
                    self.skip(std::iter::once(&list[k..]));
                }
                break;
            }
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> StmtResult {
        match s {
            Stmt::Block(b) => self.block(b),
            Stmt::If {
                branches,
                otherwise,
                at,
            } => {
                for (k, (guard, body)) in branches.iter().enumerate() {
                    let truth = {
                        let ctx = Ctx {
                            replay: self.replay,
                            text: self.body,
                            found: self.found,
                            vars: &self.vars,
                        };
                        cond::eval(&ctx, self.slice(*guard))
                    };
                    match truth {
                        Truth::Known(true) => {
                            let others = branches
                                .iter()
                                .enumerate()
                                .filter(|(j, _)| *j != k)
                                .map(|(_, (_, b))| b.as_slice())
                                .chain(otherwise.as_deref());
                            self.skip(others);
                            return self.stmts(body);
                        }
                        Truth::Known(false) => {}
                        Truth::Unknown(u) => {
                            let rest: Vec<&[Stmt]> = branches[k..]
                                .iter()
                                .map(|(_, b)| b.as_slice())
                                .chain(otherwise.as_deref())
                                .collect();
                            if self.same_outcome(&rest, otherwise.is_some()) {
                                return Ok(());
                            }
                            self.undecided(*at, &u.explain(), rest.into_iter());
                            return Ok(());
                        }
                    }
                }
                self.skip(branches.iter().map(|(_, b)| b.as_slice()));
                match otherwise {
                    Some(body) => self.stmts(body),
                    None => Ok(()),
                }
            }
            Stmt::Case { branches, at } => {
                let explain = "CASE branches depend on values known at run time";
                self.undecided(*at, explain, branches.iter().map(Vec::as_slice));
                Ok(())
            }
            Stmt::Loop { header, body } => {
                match self.loop_rows(*header).filter(|_| !exits(body)) {
                    Some((var, rows)) => {
                        // The query reads the Catalog: run the body per row,
                        // as PostgreSQL would (rows read before the first).
                        self.found = Some(!rows.is_empty());
                        for row in rows {
                            if let [(_, value)] = row.as_slice() {
                                self.vars.insert(var.clone(), Some(value.clone()));
                            }
                            for (column, value) in row {
                                self.vars.insert(format!("{var}.{column}"), Some(value));
                            }
                            self.stmts(body)?;
                            if self.returned {
                                break;
                            }
                        }
                        Ok(())
                    }
                    None => {
                        self.in_loop(*header, body);
                        Ok(())
                    }
                }
            }
            Stmt::Execute { expr, at } => {
                let at_pos = self.at_token(*at);
                let whole = self.written(Span {
                    start: *at,
                    end: expr.end,
                });
                let whole = whole.to_string();
                match dynamic::constant(self.slice(*expr), &self.vars) {
                    Some(sql) => {
                        for piece in split::split_statements(&sql) {
                            self.sql(&piece.text, at_pos, false)?;
                        }
                        let standins = self.standins_of(*expr);
                        let data_only =
                            notes::classify(&sql).is_some_and(|r| r.severity == Severity::Info);
                        if !standins.is_empty() && !data_only {
                            let calls = standins
                                .iter()
                                .map(|f| format!("{f}()"))
                                .collect::<Vec<_>>()
                                .join(", ");
                            let remark = Remark::new(
                                format!(
                                    "EXECUTE with run-time values: followed with {calls} replaced by a deterministic stand-in (`{}`); names built from them differ from those the database has",
                                    dynamic::STANDIN_TIME
                                ),
                                Severity::Warning,
                            )
                            .with_objects(dynamic::objects_in_head(&sql));
                            self.place(remark, at_pos, &whole);
                        }
                        Ok(())
                    }
                    None => {
                        let remark = dynamic::not_followed(self.slice(*expr), &[]);
                        if remark.severity > Severity::Info {
                            self.place(remark, at_pos, &whole);
                        }
                        Ok(())
                    }
                }
            }
            Stmt::Raise { level, span } => {
                if level != "exception" {
                    return Ok(());
                }
                let written = cond::squeeze(self.written(*span));
                let mut err = StmtError::invalid(format!(
                    "the DO block raises an exception: {written}"
                ))
                .hint(
                    "with the state replayed so far this RAISE runs, so PostgreSQL would stop here; \
                     check the guard above it and the earlier migrations",
                );
                err.at = self.at_token(span.start);
                Err(err)
            }
            Stmt::Perform { query } => {
                let mut toks = vec![select_token(self.slice(*query))];
                toks.extend_from_slice(self.slice(*query));
                self.found = match probes::exists(self.replay, &toks) {
                    probes::Answer::Known(b) => Some(b),
                    _ => None,
                };
                Ok(())
            }
            Stmt::Assign { name, expr } => {
                let toks = self.slice(*expr);
                let value = dynamic::constant(toks, &self.vars).or_else(|| self.truth(toks));
                self.vars.insert(name.clone(), value);
                self.taint(name, *expr);
                Ok(())
            }
            Stmt::Control | Stmt::Exit => Ok(()),
            Stmt::Return => {
                self.returned = true;
                Ok(())
            }
            Stmt::Sql(span) => {
                let toks = self.slice(*span);
                if toks.first().is_some_and(|t| t.is("select")) {
                    self.select_into(toks.to_vec());
                }
                let text = self.written(*span).to_string();
                let at = self.at_token(span.start);
                self.sql(&text, at, true)
            }
        }
    }

    /// Records whether `name`'s new value (the expression at `span`) holds a
    /// run-time stand-in, directly or through another variable.
    fn taint(&mut self, name: &str, span: Span) {
        let from = self.standins_of(span);
        if from.is_empty() {
            self.standins.remove(name);
        } else {
            self.standins.insert(name.to_string(), from);
        }
    }

    /// The run-time functions whose stand-ins the expression at `span` uses.
    fn standins_of(&self, span: Span) -> Vec<String> {
        let toks = self.slice(span);
        let mut out = dynamic::standins_in(toks);
        for t in toks {
            if let Some(from) = t.word().and_then(|w| self.standins.get(w)) {
                out.extend(from.iter().cloned());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// A boolean expression's value as `true`/`false`, when decided.
    fn truth(&self, toks: &[Token]) -> Option<String> {
        let ctx = Ctx {
            replay: self.replay,
            text: self.body,
            found: self.found,
            vars: &self.vars,
        };
        match cond::eval(&ctx, toks) {
            Truth::Known(b) => Some(b.to_string()),
            Truth::Unknown(_) => None,
        }
    }

    /// `FOR var IN SELECT … FROM <catalog> …`: the variable and the rows,
    /// when the replay can list them.
    fn loop_rows(&self, header: Span) -> Option<(String, Vec<probes::Record>)> {
        match self.slice(header) {
            [f, var, kw, query @ ..]
                if f.is("for") && kw.is("in") && query.first()?.is("select") =>
            {
                let rows = probes::rows(self.replay, query)?;
                Some((var.word()?.to_string(), rows))
            }
            _ => None,
        }
    }

    /// `SELECT … INTO v FROM …`: sets FOUND (when the query is a probe the
    /// replay reads) and makes `v` unknown.
    fn select_into(&mut self, toks: Vec<Token>) {
        let Some(into) = toks.iter().position(|t| t.is("into")) else {
            return;
        };
        let mut end = into + 1;
        if toks.get(end).is_some_and(|t| t.is("strict")) {
            end += 1;
        }
        while let Some(name) = toks.get(end).and_then(Token::word) {
            self.vars.insert(name.to_string(), None);
            end += 1;
            if toks.get(end).is_some_and(|t| t.is_op(",")) {
                end += 1;
            } else {
                break;
            }
        }
        // `SELECT EXISTS (…) INTO v`: one row, and `v` is the probe's answer.
        if end >= toks.len()
            && let [var] = &toks[into + 1..]
            && let Some(var) = var.word()
        {
            let value = self.truth(&toks[1..into]);
            self.vars.insert(var.to_string(), value);
            self.found = Some(true);
            return;
        }
        let mut probe = toks[..into].to_vec();
        probe.extend_from_slice(&toks[end.min(toks.len())..]);
        // `SELECT concat('ALTER TABLE … DROP CONSTRAINT ', constraint_name)
        // INTO v FROM <catalog> WHERE …`: one row decides `v`.
        if let [var] = &toks[into + 1..end.min(toks.len())]
            && let Some(var) = var.word()
            && let Some((value, rows)) =
                self.select_value(&toks[1..into], &toks[end.min(toks.len())..])
        {
            self.vars.insert(var.to_string(), value);
            self.found = Some(rows > 0);
            return;
        }
        self.found = match probes::exists(self.replay, &probe) {
            probes::Answer::Known(b) => Some(b),
            _ => None,
        };
    }

    /// The value of a select-list expression over a catalog query (`from`:
    /// `FROM … WHERE …`) the replay reads, and how many rows it returns;
    /// the value is known when exactly one row does (none: NULL).
    fn select_value(&self, expr: &[Token], from: &[Token]) -> Option<(Option<String>, usize)> {
        let mut columns: Vec<&Token> = Vec::new();
        for (k, t) in expr.iter().enumerate() {
            let called = expr
                .get(k + 1)
                .is_some_and(|n| n.is_op("(") || n.is_op("."));
            let cast = k > 0 && (expr[k - 1].is_op("::") || expr[k - 1].is_op("."));
            if t.word().is_some()
                && !called
                && !cast
                && !columns.iter().any(|c| c.word() == t.word())
            {
                columns.push(t);
            }
        }
        if columns.is_empty() || !from.first().is_some_and(|t| t.is("from")) {
            return None;
        }
        let comma = Token {
            tok: Tok::Op(",".into()),
            start: 0,
            end: 0,
        };
        let mut query = vec![select_token(expr)];
        for (k, c) in columns.iter().enumerate() {
            if k > 0 {
                query.push(comma.clone());
            }
            query.push((*c).clone());
        }
        query.extend_from_slice(from);
        let rows = probes::rows(self.replay, &query)?;
        match rows.as_slice() {
            [] => Some((None, 0)),
            [row] => {
                let mut vars = self.vars.clone();
                for (column, value) in row {
                    vars.insert(column.clone(), Some(value.clone()));
                }
                Some((dynamic::constant(expr, &vars), 1))
            }
            _ => Some((None, rows.len())),
        }
    }

    /// Replays one SQL statement found in the body. `mapped`: `at` is where
    /// the text itself starts (so inner positions add up); otherwise the text
    /// was built by EXECUTE and everything points at `at`.
    fn sql(&mut self, text: &str, at: usize, mapped: bool) -> StmtResult {
        let modeled = notes::classify(text).is_none();
        let mut inner = Vec::new();
        if let Err(mut e) = self.replay.statement(text, &mut inner) {
            e.at = if mapped {
                at + e.at.min(text.len())
            } else {
                at
            };
            return Err(e);
        }
        if !modeled {
            self.found = None;
        }
        let warned = inner.iter().any(|r| r.severity == Severity::Warning);
        if modeled && !warned {
            self.followed += 1;
        }
        for remark in inner {
            if remark.severity > Severity::Info {
                let pos = if mapped { at + remark.at } else { at };
                self.place(remark, pos, text);
            }
        }
        Ok(())
    }

    /// Counts modeled statements in branches a guard skipped.
    fn skip<'s>(&mut self, bodies: impl Iterator<Item = &'s [Stmt]>) {
        for body in bodies {
            let mut leaves = Vec::new();
            self.leaves(body, &[], &mut leaves);
            self.skipped += leaves.iter().filter(|l| l.effect == Effect::Model).count();
        }
    }

    /// Whether every way through an undecided IF leaves the same Catalog
    /// (the idiom "if the role exists, grant; else create it, then grant"):
    /// `bodies` are the branches that may run, `exhaustive` when one of them
    /// must (an ELSE). If so, the last body's run is kept and the IF counts
    /// as followed; if not, the state is as before and nothing was run.
    /// Branches that may RETURN, fail, or leave warnings never agree.
    fn same_outcome(&mut self, bodies: &[&[Stmt]], exhaustive: bool) -> bool {
        if bodies.iter().any(|b| returns(b)) {
            return false;
        }
        let saved = (
            self.replay.catalog.clone(),
            self.remarks.len(),
            self.followed,
            self.skipped,
            self.vars.clone(),
            self.found,
            self.caught,
        );
        let restore = |run: &mut Self| {
            run.replay.catalog = saved.0.clone();
            run.remarks.truncate(saved.1);
            run.followed = saved.2;
            run.skipped = saved.3;
            run.vars = saved.4.clone();
            run.found = saved.5;
            run.caught = saved.6;
        };
        let mut outcome = (!exhaustive).then(|| saved.0.clone());
        for (k, body) in bodies.iter().enumerate() {
            if k > 0 {
                restore(self);
            }
            let ran = self.stmts(body).is_ok()
                && !self.returned
                && self.remarks[saved.1..]
                    .iter()
                    .all(|r| r.severity < Severity::Warning);
            let same = ran && outcome.as_ref().is_none_or(|c| *c == self.replay.catalog);
            if !same {
                restore(self);
                return false;
            }
            outcome.get_or_insert_with(|| self.replay.catalog.clone());
        }
        true
    }

    /// An IF (or CASE) the replay cannot decide: no branch is followed.
    fn undecided<'s>(
        &mut self,
        at: usize,
        explain: &str,
        bodies: impl Iterator<Item = &'s [Stmt]>,
    ) {
        let bodies: Vec<&[Stmt]> = bodies.collect();
        let mut leaves = Vec::new();
        for body in &bodies {
            self.leaves(body, &[], &mut leaves);
        }
        // A branch that may RETURN makes everything after the IF uncertain.
        if self.cut.is_none() && bodies.iter().any(|b| returns(b)) {
            self.cut = Some((at, explain.to_string()));
            self.returned = true;
        }
        self.note_leaves(at, &format!("IF not decided: {explain}"), leaves);
    }

    /// Notes what the statements after an undecided IF that may RETURN
    /// would change (called once the body has run).
    pub fn finish(&mut self) {
        if let Some((at, explain)) = self.cut.take() {
            let leaves = std::mem::take(&mut self.cut_leaves);
            let what = format!("statements after an IF that may RETURN, not decided: {explain}");
            self.note_leaves(at, &what, leaves);
        }
    }

    /// One note at the IF at token `at` for `leaves` that would change the
    /// schema or objects outside the model (nothing for data only).
    fn note_leaves(&mut self, at: usize, what: &str, leaves: Vec<Leaf>) {
        let effect = leaves
            .iter()
            .map(|l| l.effect)
            .max()
            .unwrap_or(Effect::Data);
        let (why, severity) = match effect {
            Effect::Data => return,
            Effect::Outside => (OUTSIDE_MODEL, Severity::Notice),
            Effect::Model => (MAY_CHANGE, Severity::Warning),
        };
        let objects = leaves
            .into_iter()
            .filter(|l| l.effect == effect)
            .flat_map(|l| l.objects);
        let remark = Remark::new(format!("{what} ({why})"), severity).with_objects(objects);
        let start = self.toks.get(at).map_or(0, |t| t.start);
        let written = self.body.get(start..).unwrap_or_default();
        // The note shows the IF up to its first THEN.
        let shown = written
            .to_ascii_lowercase()
            .find("then")
            .map_or(written, |p| &written[..p + 4])
            .to_string();
        let pos = self.at_token(at);
        self.place(remark, pos, &shown);
    }

    /// A loop runs its body a number of times only the data knows: schema
    /// changes inside are noted, not followed.
    fn in_loop(&mut self, header: Span, body: &[Stmt]) {
        let header_toks = self.slice(header).to_vec();
        let mut leaves = Vec::new();
        self.loop_notes(body, &header_toks, &mut leaves);
        for (remark, at, shown) in leaves {
            self.place(remark, at, &shown);
        }
    }

    fn loop_notes(&self, body: &[Stmt], header: &[Token], out: &mut Vec<(Remark, usize, String)>) {
        for s in body {
            match s {
                Stmt::Execute { expr, at } => {
                    let remark = dynamic::not_followed(self.slice(*expr), header);
                    if remark.severity > Severity::Info {
                        let shown = self.written(Span {
                            start: *at,
                            end: expr.end,
                        });
                        out.push((remark, self.at_token(*at), shown.to_string()));
                    }
                }
                Stmt::Sql(span) => {
                    let text = self.written(*span);
                    let label = format!("{} inside a loop", label_of(text));
                    let remark = match notes::classify(text).map(|r| r.severity) {
                        Some(Severity::Info) => continue,
                        Some(Severity::Notice) => Remark::outside_model(&label),
                        _ => Remark::not_followed(&label),
                    };
                    let remark = remark.with_objects(dynamic::objects_in_head(text));
                    out.push((remark, self.at_token(span.start), text.to_string()));
                }
                Stmt::Block(b) => {
                    self.loop_notes(&b.body, header, out);
                    for h in &b.handlers {
                        self.loop_notes(&h.body, header, out);
                    }
                }
                Stmt::If {
                    branches,
                    otherwise,
                    ..
                } => {
                    for (_, b) in branches {
                        self.loop_notes(b, header, out);
                    }
                    if let Some(b) = otherwise {
                        self.loop_notes(b, header, out);
                    }
                }
                Stmt::Case { branches, .. } => {
                    for b in branches {
                        self.loop_notes(b, header, out);
                    }
                }
                Stmt::Loop { body, .. } => self.loop_notes(body, header, out),
                Stmt::Raise { .. }
                | Stmt::Perform { .. }
                | Stmt::Assign { .. }
                | Stmt::Return
                | Stmt::Exit
                | Stmt::Control => {}
            }
        }
    }

    /// The statements of `body` with their effect, without running them.
    fn leaves(&self, body: &[Stmt], header: &[Token], out: &mut Vec<Leaf>) {
        for s in body {
            match s {
                Stmt::Sql(span) => {
                    let text = self.written(*span);
                    let effect = match notes::classify(text).map(|r| r.severity) {
                        Some(Severity::Info) => Effect::Data,
                        Some(Severity::Notice) => Effect::Outside,
                        _ => Effect::Model,
                    };
                    out.push(Leaf {
                        effect,
                        objects: dynamic::objects_in_head(text),
                    });
                }
                Stmt::Execute { expr, .. } => {
                    let toks = self.slice(*expr);
                    let remark = match dynamic::constant(toks, &self.vars) {
                        Some(sql) => notes::classify(&sql).unwrap_or_else(|| {
                            Remark::not_followed("").with_objects(dynamic::objects_in_head(&sql))
                        }),
                        None => dynamic::not_followed(toks, header),
                    };
                    let effect = match remark.severity {
                        Severity::Info => Effect::Data,
                        Severity::Notice => Effect::Outside,
                        Severity::Warning | Severity::Error => Effect::Model,
                    };
                    out.push(Leaf {
                        effect,
                        objects: remark.objects,
                    });
                }
                Stmt::Block(b) => {
                    self.leaves(&b.body, header, out);
                    for h in &b.handlers {
                        self.leaves(&h.body, header, out);
                    }
                }
                Stmt::If {
                    branches,
                    otherwise,
                    ..
                } => {
                    for (_, b) in branches {
                        self.leaves(b, header, out);
                    }
                    if let Some(b) = otherwise {
                        self.leaves(b, header, out);
                    }
                }
                Stmt::Case { branches, .. } => {
                    for b in branches {
                        self.leaves(b, header, out);
                    }
                }
                Stmt::Loop { header, body } => {
                    let h = self.slice(*header).to_vec();
                    self.leaves(body, &h, out);
                }
                Stmt::Raise { .. }
                | Stmt::Perform { .. }
                | Stmt::Assign { .. }
                | Stmt::Return
                | Stmt::Exit
                | Stmt::Control => {
                    out.push(Leaf {
                        effect: Effect::Data,
                        objects: Vec::new(),
                    });
                }
            }
        }
    }
}

/// Whether a branch may RETURN.
fn returns(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Return => true,
        Stmt::Block(b) => returns(&b.body) || b.handlers.iter().any(|h| returns(&h.body)),
        Stmt::If {
            branches,
            otherwise,
            ..
        } => branches.iter().any(|(_, b)| returns(b)) || otherwise.as_deref().is_some_and(returns),
        Stmt::Case { branches, .. } => branches.iter().any(|b| returns(b)),
        Stmt::Loop { body, .. } => returns(body),
        _ => false,
    })
}

/// Whether a loop body leaves early (then its iterations are not followed).
fn exits(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Exit => true,
        Stmt::Block(b) => exits(&b.body) || b.handlers.iter().any(|h| exits(&h.body)),
        Stmt::If {
            branches,
            otherwise,
            ..
        } => branches.iter().any(|(_, b)| exits(b)) || otherwise.as_deref().is_some_and(exits),
        Stmt::Case { branches, .. } => branches.iter().any(|b| exits(b)),
        _ => false,
    })
}

/// A `SELECT` keyword placed where PERFORM's query starts.
fn select_token(query: &[Token]) -> Token {
    let at = query.first().map_or(0, |t| t.start);
    Token {
        tok: Tok::Word {
            text: "select".into(),
            quoted: false,
        },
        start: at,
        end: at,
    }
}

/// The PostgreSQL condition name and SQLSTATE an error would raise.
fn condition_of(e: &StmtError) -> (&'static str, &'static str) {
    let subject = e.message.split_whitespace().next().unwrap_or_default();
    match (e.kind, subject) {
        (ReplayErrorKind::Duplicate, "relation" | "index") => ("duplicate_table", "42P07"),
        (ReplayErrorKind::Duplicate, "column") => ("duplicate_column", "42701"),
        (ReplayErrorKind::Duplicate, "schema") => ("duplicate_schema", "42P06"),
        (ReplayErrorKind::Duplicate, _) => ("duplicate_object", "42710"),
        (ReplayErrorKind::Missing, "relation" | "index") => ("undefined_table", "42P01"),
        (ReplayErrorKind::Missing, "column") => ("undefined_column", "42703"),
        (ReplayErrorKind::Missing, "schema") => ("invalid_schema_name", "3F000"),
        (ReplayErrorKind::Missing, _) => ("undefined_object", "42704"),
        (ReplayErrorKind::Invalid, "the") => ("raise_exception", "P0001"),
        _ => ("others", "XX000"),
    }
}
