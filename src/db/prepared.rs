//! Hand-written SQL that PostgreSQL plans once per connection, not once per call.
//!
//! diesel never caches a `sql_query` as a prepared statement (it cannot know the text is
//! fixed), so a hand-written statement is parsed and planned on every call. For the feed's
//! page query that planning cost several times its execution. A [`Prepared`] statement's text
//! is `'static`, so it is cached by its text like any diesel query, and PostgreSQL reuses its
//! plan. `$n` in the text is the n-th `bind`, used anywhere and as often as needed; each bind
//! must be used. A `Prepared` is always a whole statement: the numbers it sends are its own.

use std::marker::PhantomData;

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::Error;
use diesel::serialize::ToSql;
use diesel::sql_types::{HasSqlType, Untyped};

/// One bind value with its SQL type.
trait BindValue: Send + Sync {
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> diesel::QueryResult<()>;
}

struct Typed<ST, T>(T, PhantomData<fn() -> ST>);

impl<ST, T> BindValue for Typed<ST, T>
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg> + Send + Sync,
{
    fn push<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> diesel::QueryResult<()> {
        out.push_bind_param::<ST, T>(&self.0)
    }
}

/// A cached hand-written statement and its bind values; load rows with `QueryableByName`.
#[must_use = "a statement runs only when loaded or executed"]
pub struct Prepared<'a> {
    sql: &'static str,
    binds: Vec<Box<dyn BindValue + 'a>>,
}

pub fn prepared(sql: &'static str) -> Prepared<'static> {
    Prepared {
        sql,
        binds: Vec::new(),
    }
}

impl<'a> Prepared<'a> {
    /// The value of the next parameter.
    pub fn bind<ST, T>(mut self, value: T) -> Self
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + Send + Sync + 'a,
        ST: 'a,
    {
        self.binds.push(Box::new(Typed(value, PhantomData)));
        self
    }
}

impl QueryFragment<Pg> for Prepared<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> diesel::QueryResult<()> {
        // The number each parameter was sent as: its first use sends its value.
        let mut sent = vec![0usize; self.binds.len()];
        let mut count = 0usize;
        let mut copied = 0;
        while let Some((start, end)) = next_parameter(self.sql, copied) {
            out.push_sql(&self.sql[copied..start]);
            let n: usize = self.sql[start + 1..end]
                .parse()
                .map_err(|_| placeholder_error(self.sql))?;
            let slot = n.checked_sub(1).filter(|i| *i < self.binds.len());
            let i = slot.ok_or_else(|| placeholder_error(self.sql))?;
            if sent[i] == 0 {
                self.binds[i].push(&mut out)?;
                count += 1;
                sent[i] = count;
            } else {
                out.push_sql(&format!("${}", sent[i]));
            }
            copied = end;
        }
        out.push_sql(&self.sql[copied..]);
        if sent.contains(&0) {
            return Err(placeholder_error(self.sql));
        }
        Ok(())
    }
}

/// Where the next `$n` at or after `from` starts and ends, outside string literals, quoted
/// identifiers, comments and dollar-quoted bodies (and not inside an identifier like `a$1`).
/// `E'...'` escapes are not understood: the statements here do not use them.
fn next_parameter(sql: &str, from: usize) -> Option<(usize, usize)> {
    let b = sql.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = from;
    while i < b.len() {
        match b[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != quote {
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b'$' if i > 0 && word(b[i - 1]) => i += 1,
            b'$' => {
                let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                if digits > 0 {
                    return Some((i, i + 1 + digits));
                }
                let tag = b[i + 1..].iter().take_while(|c| word(**c)).count();
                if b.get(i + 1 + tag) == Some(&b'$') {
                    let delimiter = &sql[i..i + 2 + tag];
                    let body = i + 2 + tag;
                    i = sql[body..]
                        .find(delimiter)
                        .map_or(b.len(), |end| body + end + delimiter.len());
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    None
}

fn placeholder_error(sql: &str) -> Error {
    let start: String = sql.chars().take(60).collect();
    Error::QueryBuilderError(
        format!("every $n must name one of the binds, and each be used: {start}").into(),
    )
}

impl QueryId for Prepared<'_> {
    type QueryId = ();
    // Cached by its text (and bind types), as diesel does for any query without a static id.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Prepared<'_> {
    type SqlType = Untyped;
}

#[cfg(test)]
mod tests {
    use diesel::pg::Pg;
    use diesel::sql_types::{BigInt, Text};

    use super::prepared;

    fn sql(q: &super::Prepared<'_>) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        std::fmt::write(
            &mut out,
            format_args!("{}", diesel::debug_query::<Pg, _>(q)),
        )?;
        Ok(out)
    }

    #[test]
    fn parameters_are_sent_in_order_of_first_use_and_repeats_refer_back() {
        let q = prepared("SELECT $2, $1, $2 || 'x$'")
            .bind::<Text, _>("a")
            .bind::<BigInt, _>(2i64);
        let text = sql(&q).unwrap();
        assert!(text.starts_with("SELECT $1, $2, $1 || 'x$'"), "{text}");
        assert!(text.contains(r#"binds: [2, "a"]"#), "{text}");
    }

    #[test]
    fn dollars_in_literals_identifiers_comments_and_dollar_quotes_are_left_alone() {
        let q = prepared("SELECT '$2', \"a$2\", b$2, $1 -- $2\n /* $2 */ $$ $2 $$, $x$ $2 $x$, $1")
            .bind::<Text, _>("a");
        let text = sql(&q).unwrap();
        assert!(
            text.starts_with(
                "SELECT '$2', \"a$2\", b$2, $1 -- $2\n /* $2 */ $$ $2 $$, $x$ $2 $x$, $1"
            ),
            "{text}"
        );
        assert!(text.contains(r#"binds: ["a"]"#), "{text}");
    }

    #[test]
    fn an_unknown_or_unused_parameter_is_refused() {
        let unknown = prepared("SELECT $1, $3").bind::<Text, _>("a");
        assert!(sql(&unknown).is_err());
        let unused = prepared("SELECT $1")
            .bind::<Text, _>("a")
            .bind::<Text, _>("b");
        assert!(sql(&unused).is_err());
    }
}
