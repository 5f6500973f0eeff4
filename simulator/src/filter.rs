//! EM's query filter language, enough of it to test clients against.
//!
//! `filter=<expr>` where a comparison is `<property><op><value>` with `==`, `!=`, `<`, `>`, `<=`, `>=`;
//! `;` is AND, `,` is OR (AND binds tighter, as in FIQL, which the syntax comes from) and parentheses group.
//! Values in double quotes may hold any character, a quote written twice; unquoted spaces are dropped.
//! Property names are case-insensitive, text compares case-insensitively, dates by instant and enum values by
//! their position in the documented list (so `Algorithm>Full` means "after Full in the list").

use std::cmp::Ordering;

use veeam_em::DateTime;

/// How a property's values compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Case-insensitive text.
    Text,
    /// An `xs:dateTime`, compared by instant.
    Time,
    /// One of the listed values, compared by position.
    Enum(&'static [&'static str]),
}

/// A property a query type can be filtered and sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Property {
    /// The documented name (`VmDisplayName`).
    pub name: &'static str,
    /// How values compare.
    pub kind: Kind,
}

/// Finds `name` among `props`, ignoring case.
pub fn property(props: &[Property], name: &str) -> Option<usize> {
    props.iter().position(|prop| prop.name.eq_ignore_ascii_case(name))
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
}

/// A parsed filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// All must hold.
    And(Vec<Expr>),
    /// One must hold.
    Or(Vec<Expr>),
    /// `props[prop] op value`.
    Cmp {
        /// Index into the property table the filter was parsed with.
        prop: usize,
        /// The operator.
        op: Op,
        /// The value as written, quotes removed.
        value: String,
    },
}

impl Expr {
    /// Whether a record matches; `get` gives the record's value of a property by index.
    pub fn matches(&self, props: &[Property], get: &dyn Fn(usize) -> String) -> bool {
        match self {
            Expr::And(all) => all.iter().all(|e| e.matches(props, get)),
            Expr::Or(any) => any.iter().any(|e| e.matches(props, get)),
            Expr::Cmp { prop, op, value } => {
                let ordering = compare(props[*prop].kind, &get(*prop), value);
                match op {
                    Op::Eq => ordering == Ordering::Equal,
                    Op::Ne => ordering != Ordering::Equal,
                    Op::Lt => ordering == Ordering::Less,
                    Op::Gt => ordering == Ordering::Greater,
                    Op::Le => ordering != Ordering::Greater,
                    Op::Ge => ordering != Ordering::Less,
                }
            }
        }
    }
}

/// Orders two values of a property.
pub fn compare(kind: Kind, a: &str, b: &str) -> Ordering {
    let text = || a.to_lowercase().cmp(&b.to_lowercase());
    match kind {
        Kind::Text => text(),
        Kind::Time => match (DateTime::parse(a), DateTime::parse(b)) {
            (Ok(a), Ok(b)) => a.instant().cmp(&b.instant()),
            _ => text(),
        },
        Kind::Enum(values) => {
            let rank = |v: &str| values.iter().position(|known| known.eq_ignore_ascii_case(v)).unwrap_or(usize::MAX);
            rank(a).cmp(&rank(b)).then_with(text)
        }
    }
}

/// Parses a filter against the properties of one query type; the error says what and where (1-based column).
pub fn parse(text: &str, props: &[Property]) -> Result<Expr, String> {
    let mut parser = Parser { chars: text.chars().collect(), pos: 0, props };
    let expr = parser.or()?;
    parser.skip_spaces();
    if parser.pos < parser.chars.len() {
        return Err(parser.error("unexpected character"));
    }
    Ok(expr)
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    props: &'a [Property],
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        match self.chars.get(self.pos) {
            Some(c) => format!("invalid filter: {what} `{c}` at column {}", self.pos + 1),
            None => format!("invalid filter: {what} at the end"),
        }
    }

    fn skip_spaces(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_spaces();
        if self.chars.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.and()?];
        while self.eat(',') {
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::Or(items) })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.primary()?];
        while self.eat(';') {
            items.push(self.primary()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::And(items) })
    }

    fn primary(&mut self) -> Result<Expr, String> {
        if self.eat('(') {
            let inner = self.or()?;
            if !self.eat(')') {
                return Err(self.error("expected `)` but found"));
            }
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        self.skip_spaces();
        let start = self.pos;
        while self.chars.get(self.pos).is_some_and(|c| c.is_alphanumeric() || *c == '_') {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.error("expected a property name but found"));
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        let Some(prop) = property(self.props, &name) else {
            let known: Vec<&str> = self.props.iter().map(|p| p.name).collect();
            return Err(format!("invalid filter: unknown property `{name}`; known: {}", known.join(", ")));
        };
        self.skip_spaces();
        let op = self.op()?;
        let value = self.value()?;
        if self.props[prop].kind == Kind::Time && DateTime::parse(&value).is_err() {
            return Err(format!("invalid filter: `{value}` is not a date and time (use 2025-08-14T05:44:54Z)"));
        }
        Ok(Expr::Cmp { prop, op, value })
    }

    fn op(&mut self) -> Result<Op, String> {
        let two: String = self.chars.iter().skip(self.pos).take(2).collect();
        let (op, len) = match two.as_str() {
            "==" => (Op::Eq, 2),
            "!=" => (Op::Ne, 2),
            "<=" => (Op::Le, 2),
            ">=" => (Op::Ge, 2),
            _ if two.starts_with('<') => (Op::Lt, 1),
            _ if two.starts_with('>') => (Op::Gt, 1),
            _ => return Err(self.error("expected ==, !=, <, >, <= or >= but found")),
        };
        self.pos += len;
        Ok(op)
    }

    fn value(&mut self) -> Result<String, String> {
        self.skip_spaces();
        let mut value = String::new();
        if self.chars.get(self.pos) == Some(&'"') {
            self.pos += 1;
            loop {
                match self.chars.get(self.pos) {
                    None => return Err("invalid filter: unterminated quoted value".to_owned()),
                    Some('"') if self.chars.get(self.pos + 1) == Some(&'"') => {
                        value.push('"');
                        self.pos += 2;
                    }
                    Some('"') => {
                        self.pos += 1;
                        return Ok(value);
                    }
                    Some(c) => {
                        value.push(*c);
                        self.pos += 1;
                    }
                }
            }
        }
        while let Some(c) = self.chars.get(self.pos) {
            if matches!(c, ';' | ',' | '(' | ')') {
                break;
            }
            if *c == '"' {
                return Err(self.error("a quote may only start a value, found"));
            }
            // EM drops unquoted spaces: `Name == sql 02` means `sql02`.
            if !c.is_whitespace() {
                value.push(*c);
            }
            self.pos += 1;
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROPS: &[Property] = &[
        Property { name: "Name", kind: Kind::Text },
        Property { name: "CreationTime", kind: Kind::Time },
        Property { name: "Algorithm", kind: Kind::Enum(&["Full", "ReversedIncremental", "Incremental"]) },
    ];

    fn check(filter: &str, record: [&str; 3]) -> bool {
        let expr = parse(filter, PROPS).expect("parses");
        expr.matches(PROPS, &|i| record[i].to_owned())
    }

    #[test]
    fn compares_text_dates_and_enums() {
        let r = ["sql02@x", "2025-08-14T05:44:54Z", "Incremental"];
        assert!(check("name==SQL02@X", r));
        assert!(check("Name!=other", r));
        assert!(check("CreationTime>=\"2025-08-14T05:44:54Z\"", r));
        assert!(!check("CreationTime<2025-08-14T05:00:00Z", r));
        assert!(check("Algorithm>Full", r));
        assert!(!check("Algorithm<=ReversedIncremental", r));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let r = ["a", "2025-01-01T00:00:00Z", "Full"];
        assert!(check("Name==b;Name==c,Name==a", r));
        assert!(!check("Name==b;(Name==c,Name==a)", r));
        assert!(check("(Name==a)", r));
    }

    #[test]
    fn quotes_and_spaces() {
        let r = ["say \"hi\" there", "2025-01-01T00:00:00Z", "Full"];
        assert!(check("Name==\"say \"\"hi\"\" there\"", r));
        let r = ["sql02", "2025-01-01T00:00:00Z", "Full"];
        assert!(check("Name == sql 02", r));
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(parse("Nope==1", PROPS).unwrap_err().contains("unknown property `Nope`"));
        assert!(parse("Name=1", PROPS).unwrap_err().contains("expected =="));
        assert!(parse("(Name==1", PROPS).unwrap_err().contains("expected `)`"));
        assert!(parse("Name==\"x", PROPS).unwrap_err().contains("unterminated"));
        assert!(parse("CreationTime>yesterday", PROPS).unwrap_err().contains("not a date"));
        assert!(parse("Name==a)", PROPS).unwrap_err().contains("column 8"));
        assert!(parse("", PROPS).is_err());
    }
}
