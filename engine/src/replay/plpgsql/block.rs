//! The statement tree of a PL/pgSQL body: blocks with their exception
//! handlers, IF/ELSIF/ELSE, CASE, loops, EXECUTE, RAISE, and every other
//! statement as a span of SQL text to replay.
//!
//! Only the structure is parsed; expressions and SQL stay as token ranges
//! (`Span`) that [`super::cond`] and the replay read when they need them.

use super::lexer::Token;

/// Token indices `[start, end)` into the body's tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// `DECLARE` entries: the variable name and its initial value, if any.
    pub declare: Vec<(String, Option<Span>)>,
    pub body: Vec<Stmt>,
    pub handlers: Vec<Handler>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Handler {
    /// Lower-case condition names (`duplicate_object`, `others`) or
    /// `sqlstate 42710`.
    pub conditions: Vec<String>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Block(Block),
    /// `IF c THEN … ELSIF c THEN … ELSE … END IF`, and CASE statements
    /// (whose conditions are never decided).
    If {
        branches: Vec<(Span, Vec<Stmt>)>,
        otherwise: Option<Vec<Stmt>>,
        /// First token of the statement, for positions.
        at: usize,
    },
    Case {
        branches: Vec<Vec<Stmt>>,
        at: usize,
    },
    /// `FOR … LOOP`, `WHILE … LOOP`, `LOOP`: the header (up to `LOOP`).
    Loop {
        header: Span,
        body: Vec<Stmt>,
    },
    /// `EXECUTE expr [INTO …] [USING …]`: the expression.
    Execute {
        expr: Span,
        at: usize,
    },
    /// `RAISE [level] …`, with the level lower case (`exception` when omitted).
    Raise {
        level: String,
        span: Span,
    },
    /// `PERFORM …`: the span after the keyword.
    Perform {
        query: Span,
    },
    /// `name := expr` (or `=`).
    Assign {
        name: String,
        expr: Span,
    },
    /// `RETURN`: the rest of the body does not run.
    Return,
    /// `EXIT` / `CONTINUE` (loops are followed only without them).
    Exit,
    /// `NULL`, `EXIT`, `CONTINUE`, `GET DIAGNOSTICS`, `ASSERT`, … —
    /// nothing the schema depends on.
    Control,
    /// Any other statement: plain SQL, replayed as a statement of its own.
    Sql(Span),
}

/// Why the body could not be read: a message and the token it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub at: usize,
}

type Parsed<T> = Result<T, ParseError>;

/// Parses a whole body: one block, optionally labelled, optionally followed
/// by `;`.
pub fn parse_body(toks: &[Token]) -> Parsed<Block> {
    let mut p = Parser {
        toks,
        i: 0,
        depth: 0,
    };
    p.skip_label();
    let block = p.block()?;
    while p.peek_op(";") {
        p.i += 1;
    }
    if p.i < toks.len() {
        return Err(p.error("expected the end of the DO body after END"));
    }
    Ok(block)
}

struct Parser<'a> {
    toks: &'a [Token],
    i: usize,
    depth: usize,
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn error(&self, message: &str) -> ParseError {
        let found = self
            .toks
            .get(self.i)
            .map_or("the end of the body".to_string(), |t| {
                format!("`{}`", describe(t))
            });
        ParseError {
            message: format!("{message}, found {found}"),
            at: self.i,
        }
    }

    fn kw(&self, k: &str) -> bool {
        self.toks.get(self.i).is_some_and(|t| t.is(k))
    }

    fn kw_at(&self, i: usize, k: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is(k))
    }

    fn peek_op(&self, op: &str) -> bool {
        self.toks.get(self.i).is_some_and(|t| t.is_op(op))
    }

    fn expect_kw(&mut self, k: &str) -> Parsed<()> {
        if self.kw(k) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected {}", k.to_uppercase())))
        }
    }

    fn expect_semi(&mut self) -> Parsed<()> {
        if self.peek_op(";") {
            self.i += 1;
            Ok(())
        } else {
            Err(self.error("expected `;`"))
        }
    }

    /// `<<label>>`
    fn skip_label(&mut self) {
        if self.peek_op("<<")
            && self.toks.get(self.i + 1).and_then(Token::word).is_some()
            && self.toks.get(self.i + 2).is_some_and(|t| t.is_op(">>"))
        {
            self.i += 3;
        }
    }

    /// `[DECLARE …] BEGIN … [EXCEPTION …] END [label]` (no trailing `;`).
    fn block(&mut self) -> Parsed<Block> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("blocks nested too deeply"));
        }
        let mut declare = Vec::new();
        if self.kw("declare") {
            self.i += 1;
            while !self.kw("begin") {
                if self.i >= self.toks.len() {
                    return Err(self.error("expected BEGIN after DECLARE"));
                }
                let name = self.toks[self.i].word().map(str::to_string);
                let end = self.until_semi();
                // `name [CONSTANT] type [NOT NULL] [:= | = | DEFAULT expr]`
                let init = (self.i..end)
                    .find(|&k| {
                        let t = &self.toks[k];
                        t.is_op(":=") || t.is_op("=") || t.is("default")
                    })
                    .map(|k| Span { start: k + 1, end });
                if let Some(name) = name {
                    declare.push((name, init));
                }
                self.i = end;
                self.expect_semi()?;
            }
        }
        self.expect_kw("begin")?;
        let body = self.statements(&["exception", "end"])?;
        let mut handlers = Vec::new();
        if self.kw("exception") {
            self.i += 1;
            while self.kw("when") {
                self.i += 1;
                let mut conditions = Vec::new();
                while !self.kw("then") {
                    let Some(t) = self.toks.get(self.i) else {
                        return Err(self.error("expected THEN after the exception conditions"));
                    };
                    if t.is("sqlstate") {
                        let code = self.toks.get(self.i + 1).and_then(Token::string);
                        conditions.push(format!("sqlstate {}", code.unwrap_or_default()));
                        self.i += 2;
                        continue;
                    }
                    if let Some(w) = t.word()
                        && w != "or"
                    {
                        conditions.push(w.to_ascii_lowercase());
                    }
                    self.i += 1;
                }
                self.i += 1;
                let body = self.statements(&["when", "end"])?;
                handlers.push(Handler { conditions, body });
            }
        }
        self.expect_kw("end")?;
        // `END label`
        if self.toks.get(self.i).and_then(Token::word).is_some() && !self.peek_op(";") {
            self.i += 1;
        }
        self.depth -= 1;
        Ok(Block {
            declare,
            body,
            handlers,
        })
    }

    /// Statements up to (not including) one of the `stop` keywords.
    fn statements(&mut self, stop: &[&str]) -> Parsed<Vec<Stmt>> {
        let mut out = Vec::new();
        loop {
            if self.i >= self.toks.len() {
                return Err(self.error(&format!(
                    "expected {}",
                    stop.iter()
                        .map(|s| s.to_uppercase())
                        .collect::<Vec<_>>()
                        .join(" or ")
                )));
            }
            // `END` ends a list unless it is `END IF`/`END LOOP`/`END CASE`
            // of an enclosing statement, which are in `stop` as words.
            if stop.iter().any(|s| self.kw(s)) {
                return Ok(out);
            }
            if self.peek_op(";") {
                self.i += 1;
                continue;
            }
            out.push(self.statement()?);
        }
    }

    /// One statement; nesting (blocks, IF, CASE, loops) is bounded.
    fn statement(&mut self) -> Parsed<Stmt> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("statements nested too deeply"));
        }
        let stmt = self.statement_inner();
        self.depth -= 1;
        stmt
    }

    fn statement_inner(&mut self) -> Parsed<Stmt> {
        self.skip_label();
        let at = self.i;
        let Some(first) = self.toks.get(self.i) else {
            return Err(self.error("expected a statement"));
        };
        let word = first
            .word()
            .filter(|_| first.word().is_some())
            .unwrap_or("");
        let quoted = matches!(first.tok, super::lexer::Tok::Word { quoted: true, .. });
        if quoted {
            return self.assign_or_sql();
        }
        match word {
            "declare" | "begin" => {
                let block = self.block()?;
                self.expect_semi()?;
                Ok(Stmt::Block(block))
            }
            "if" => self.if_stmt(at),
            "case" => self.case_stmt(at),
            "for" | "foreach" | "while" | "loop" => self.loop_stmt(),
            "execute" => {
                self.i += 1;
                let start = self.i;
                let end = self.until_semi();
                let expr_end = (start..end)
                    .find(|&k| self.kw_at(k, "into") || self.kw_at(k, "using"))
                    .unwrap_or(end);
                self.i = end;
                self.expect_semi()?;
                Ok(Stmt::Execute {
                    expr: Span {
                        start,
                        end: expr_end,
                    },
                    at,
                })
            }
            "raise" => {
                self.i += 1;
                let level = match self.toks.get(self.i).and_then(Token::word) {
                    Some(l @ ("debug" | "log" | "info" | "notice" | "warning" | "exception")) => {
                        l.to_string()
                    }
                    _ => "exception".to_string(),
                };
                let end = self.until_semi();
                let span = Span { start: at, end };
                self.i = end;
                self.expect_semi()?;
                Ok(Stmt::Raise { level, span })
            }
            "perform" => {
                self.i += 1;
                let start = self.i;
                let end = self.until_semi();
                self.i = end;
                self.expect_semi()?;
                Ok(Stmt::Perform {
                    query: Span { start, end },
                })
            }
            "return" => {
                let end = self.until_semi();
                self.i = end;
                self.expect_semi()?;
                Ok(Stmt::Return)
            }
            "exit" | "continue" => {
                let end = self.until_semi();
                self.i = end;
                self.expect_semi()?;
                Ok(Stmt::Exit)
            }
            "null" | "get" | "assert" | "open" | "fetch" | "move" | "close" => {
                let end = self.until_semi();
                self.i = end;
                self.expect_semi()?;
                Ok(Stmt::Control)
            }
            "" => Err(self.error("expected a statement")),
            _ => self.assign_or_sql(),
        }
    }

    /// `name := expr;`, `rec.field = expr;`, or a SQL statement.
    fn assign_or_sql(&mut self) -> Parsed<Stmt> {
        let start = self.i;
        let end = self.until_semi();
        // A (possibly dotted or subscripted) target, then `:=` or `=`.
        let mut k = start + 1;
        while k + 1 < end && self.toks[k].is_op(".") {
            k += 2;
        }
        if k < end
            && (self.toks[k].is_op(":=") || self.toks[k].is_op("="))
            && let Some(name) = self.toks[start].word()
        {
            let name = name.to_string();
            self.i = end;
            self.expect_semi()?;
            return Ok(Stmt::Assign {
                name,
                expr: Span { start: k + 1, end },
            });
        }
        self.i = end;
        self.expect_semi()?;
        Ok(Stmt::Sql(Span { start, end }))
    }

    fn if_stmt(&mut self, at: usize) -> Parsed<Stmt> {
        self.i += 1;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.until_kw("then")?;
            self.i += 1;
            let body = self.statements(&["elsif", "elseif", "else", "end"])?;
            branches.push((cond, body));
            if self.kw("elsif") || self.kw("elseif") {
                self.i += 1;
                continue;
            }
            if self.kw("else") {
                self.i += 1;
                otherwise = Some(self.statements(&["end"])?);
            }
            break;
        }
        self.expect_kw("end")?;
        self.expect_kw("if")?;
        self.expect_semi()?;
        Ok(Stmt::If {
            branches,
            otherwise,
            at,
        })
    }

    fn case_stmt(&mut self, at: usize) -> Parsed<Stmt> {
        self.i += 1;
        let mut branches = Vec::new();
        // Skip the optional search expression up to the first WHEN.
        self.until_kw("when")?;
        while self.kw("when") {
            self.i += 1;
            self.until_kw("then")?;
            self.i += 1;
            branches.push(self.statements(&["when", "else", "end"])?);
        }
        if self.kw("else") {
            self.i += 1;
            branches.push(self.statements(&["end"])?);
        }
        self.expect_kw("end")?;
        self.expect_kw("case")?;
        self.expect_semi()?;
        Ok(Stmt::Case { branches, at })
    }

    fn loop_stmt(&mut self) -> Parsed<Stmt> {
        let start = self.i;
        let header = self.until_kw("loop")?;
        self.i += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("loops nested too deeply"));
        }
        let body = self.statements(&["end"])?;
        self.depth -= 1;
        self.expect_kw("end")?;
        self.expect_kw("loop")?;
        if self.toks.get(self.i).and_then(Token::word).is_some() {
            self.i += 1; // END LOOP label
        }
        self.expect_semi()?;
        Ok(Stmt::Loop {
            header: Span {
                start,
                end: header.end,
            },
            body,
        })
    }

    /// Tokens from here to the keyword `kw` at parenthesis depth 0 (the
    /// cursor stays on the keyword).
    fn until_kw(&mut self, kw: &str) -> Parsed<Span> {
        let start = self.i;
        let mut depth = 0usize;
        // `CASE … END` inside an expression also holds THEN and WHEN.
        let mut case_depth = 0usize;
        while let Some(t) = self.toks.get(self.i) {
            if t.is_op("(") {
                depth += 1;
            } else if t.is_op(")") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.is("case") && self.i > start {
                case_depth += 1;
            } else if depth == 0 && case_depth > 0 && t.is("end") {
                case_depth -= 1;
            } else if depth == 0 && case_depth == 0 && t.is(kw) {
                return Ok(Span { start, end: self.i });
            } else if depth == 0 && t.is_op(";") {
                break;
            }
            self.i += 1;
        }
        Err(self.error(&format!("expected {}", kw.to_uppercase())))
    }

    /// The index of the `;` ending the current statement (or the end).
    fn until_semi(&self) -> usize {
        let mut depth = 0usize;
        let mut k = self.i;
        while let Some(t) = self.toks.get(k) {
            if t.is_op("(") {
                depth += 1;
            } else if t.is_op(")") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.is_op(";") {
                return k;
            }
            k += 1;
        }
        k
    }
}

fn describe(t: &Token) -> String {
    match &t.tok {
        super::lexer::Tok::Word { text, .. } => text.clone(),
        super::lexer::Tok::Str(_) => "a string".into(),
        super::lexer::Tok::Number(n) => n.clone(),
        super::lexer::Tok::Op(o) => o.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::tokenize;
    use super::*;

    fn parse(body: &str) -> Parsed<Block> {
        parse_body(&tokenize(body))
    }

    #[test]
    fn reads_the_common_shapes() {
        let b = parse(
            "<<main>> declare n int := 0; r record; begin
               if not exists (select 1 from t) then alter table t add x int; create index i on t (x);
               elsif n = 1 then null; else raise notice 'x; y'; end if;
               begin alter table t add constraint c check (x > 0);
               exception when duplicate_object or sqlstate '42P07' then null; end;
               for r in select conname from pg_constraint loop execute format('x %I', r.conname); end loop;
               case n when 1 then perform 1; else null; end case;
               n := n + 1; update t set x = 1;
             end main;",
        )
        .unwrap();
        assert_eq!(b.declare.len(), 2);
        assert_eq!(b.body.len(), 6);
        match &b.body[0] {
            Stmt::If {
                branches,
                otherwise,
                ..
            } => {
                assert_eq!(branches.len(), 2);
                assert_eq!(branches[0].1.len(), 2);
                assert!(otherwise.is_some());
            }
            other => panic!("{other:?}"),
        }
        match &b.body[1] {
            Stmt::Block(inner) => {
                assert_eq!(
                    inner.handlers[0].conditions,
                    ["duplicate_object", "sqlstate 42P07"]
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&b.body[2], Stmt::Loop { body, .. } if matches!(body[0], Stmt::Execute { .. }))
        );
        assert!(matches!(&b.body[3], Stmt::Case { branches, .. } if branches.len() == 2));
        assert!(matches!(&b.body[4], Stmt::Assign { name, .. } if name == "n"));
        assert!(matches!(&b.body[5], Stmt::Sql(_)));
    }

    #[test]
    fn reports_where_reading_stopped() {
        let err = parse("begin if true then null; end;").unwrap_err();
        assert!(err.message.starts_with("expected IF"), "{}", err.message);
        assert!(parse("begin null; end; junk").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let body = format!("{}{}", "begin ".repeat(500), "end; ".repeat(500));
        assert!(parse(&body).is_err());
        let body = format!(
            "begin {} null; {} end",
            "if true then ".repeat(500),
            "end if; ".repeat(500)
        );
        assert!(parse(&body).is_err());
        let body = format!(
            "begin {} null; {} end",
            "if true then ".repeat(20),
            "end if; ".repeat(20)
        );
        assert!(parse(&body).is_ok());
    }
}
