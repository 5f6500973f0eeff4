//! Helpers for EM's query service: filter expressions, sorting and lazy paging.

use std::fmt;
use std::future::Future;

use futures_core::Stream;

use super::Error;

/// A filter expression in EM's grammar: comparisons such as `Name=="a b"`, joined with `;` (AND, which
/// binds tighter) and `,` (OR), grouped with parentheses.
///
/// ```
/// use veeam_em_runtime::client::Filter;
/// let f = Filter::eq("Name", "a b").and(Filter::gt("CreationTime", "2025-01-01T00:00:00Z"));
/// assert_eq!(f.to_string(), r#"Name=="a b";CreationTime>2025-01-01T00:00:00Z"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter(Node);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Compare { property: String, op: &'static str, value: String },
    And(Vec<Node>),
    Or(Vec<Node>),
    Group(Box<Node>),
}

impl Filter {
    fn compare(property: impl Into<String>, op: &'static str, value: impl Into<String>) -> Self {
        Filter(Node::Compare { property: property.into(), op, value: value.into() })
    }

    /// `property==value`.
    pub fn eq(property: impl Into<String>, value: impl Into<String>) -> Self {
        Filter::compare(property, "==", value)
    }

    /// `property!=value`.
    pub fn ne(property: impl Into<String>, value: impl Into<String>) -> Self {
        Filter::compare(property, "!=", value)
    }

    /// `property<value`.
    pub fn lt(property: impl Into<String>, value: impl Into<String>) -> Self {
        Filter::compare(property, "<", value)
    }

    /// `property>value`.
    pub fn gt(property: impl Into<String>, value: impl Into<String>) -> Self {
        Filter::compare(property, ">", value)
    }

    /// `property<=value`.
    pub fn le(property: impl Into<String>, value: impl Into<String>) -> Self {
        Filter::compare(property, "<=", value)
    }

    /// `property>=value`.
    pub fn ge(property: impl Into<String>, value: impl Into<String>) -> Self {
        Filter::compare(property, ">=", value)
    }

    /// Both conditions (`;`). An OR operand is parenthesized, since AND binds tighter.
    pub fn and(self, other: Filter) -> Self {
        let mut items = match self.0 {
            Node::And(items) => items,
            node => vec![node],
        };
        match other.0 {
            Node::And(more) => items.extend(more),
            node => items.push(node),
        }
        Filter(Node::And(items))
    }

    /// Either condition (`,`).
    pub fn or(self, other: Filter) -> Self {
        let mut items = match self.0 {
            Node::Or(items) => items,
            node => vec![node],
        };
        match other.0 {
            Node::Or(more) => items.extend(more),
            node => items.push(node),
        }
        Filter(Node::Or(items))
    }

    /// The filter in parentheses.
    pub fn group(filter: Filter) -> Self {
        match filter.0 {
            group @ Node::Group(_) => Filter(group),
            node => Filter(Node::Group(Box::new(node))),
        }
    }

    /// The `filter` query parameter.
    pub fn query_pair(&self) -> (&'static str, String) {
        ("filter", self.to_string())
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_node(f, &self.0)
    }
}

fn write_node(f: &mut fmt::Formatter<'_>, node: &Node) -> fmt::Result {
    match node {
        Node::Compare { property, op, value } => {
            write!(f, "{property}{op}")?;
            write_value(f, value)
        }
        Node::And(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(";")?;
                }
                if let Node::Or(_) = item {
                    f.write_str("(")?;
                    write_node(f, item)?;
                    f.write_str(")")?;
                } else {
                    write_node(f, item)?;
                }
            }
            Ok(())
        }
        Node::Or(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write_node(f, item)?;
            }
            Ok(())
        }
        Node::Group(inner) => {
            f.write_str("(")?;
            write_node(f, inner)?;
            f.write_str(")")
        }
    }
}

/// A value as is when it only holds `[A-Za-z0-9._:@-]`, else double-quoted with quotes doubled.
fn write_value(f: &mut fmt::Formatter<'_>, value: &str) -> fmt::Result {
    let plain = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'@' | b'-'));
    if plain {
        return f.write_str(value);
    }
    f.write_str("\"")?;
    f.write_str(&value.replace('"', "\"\""))?;
    f.write_str("\"")
}

/// A sort order for the query service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The property to sort by.
    pub property: String,
    /// Largest first.
    pub descending: bool,
}

impl Sort {
    /// Ascending by `property`.
    pub fn asc(property: impl Into<String>) -> Self {
        Sort { property: property.into(), descending: false }
    }

    /// Descending by `property`.
    pub fn desc(property: impl Into<String>) -> Self {
        Sort { property: property.into(), descending: true }
    }

    /// The query parameter: `("sortAsc", property)` or `("sortDesc", property)`.
    pub fn query_pair(&self) -> (&'static str, &str) {
        (if self.descending { "sortDesc" } else { "sortAsc" }, &self.property)
    }
}

/// A page of results that knows where it stands, for [`pages`]. Implemented by hand or generated code for
/// query results and guest file listings (both carry EM's `PagingInfo`).
pub trait Paged {
    /// The total number of pages, when the server said (`PagingInfo/@PagesCount`).
    fn pages_count(&self) -> Option<u32>;
    /// Whether the page holds no items.
    fn is_empty_page(&self) -> bool;
    /// The number of items on the page, when known; a page shorter than the page size is the last.
    fn item_count(&self) -> Option<usize> {
        None
    }
}

/// Fetches pages lazily, one per poll of the stream: `fetch(1)`, `fetch(2)`, ... Stops after an error
/// (which is yielded), at an empty page (not yielded), after page `pages_count`, after a page with fewer
/// than `page_size` items, or after the first page when a page says neither its count nor its length
/// (repeating the request would then never end).
pub fn pages<T, F, Fut>(fetch: F, page_size: u32) -> impl Stream<Item = Result<T, Error>>
where
    T: Paged,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    futures_util::stream::unfold((fetch, Some(1u32)), move |(mut fetch, next)| async move {
        let page = next?;
        match fetch(page).await {
            Err(e) => Some((Err(e), (fetch, None))),
            Ok(result) if result.is_empty_page() => None,
            Ok(result) => {
                let last = match (result.pages_count(), result.item_count()) {
                    (Some(count), _) => page >= count,
                    (None, Some(items)) => items < page_size as usize,
                    (None, None) => true,
                };
                let next = if last { None } else { page.checked_add(1) };
                Some((Ok(result), (fetch, next)))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_when_needed() {
        assert_eq!(Filter::eq("Name", "vm-01.corp").to_string(), "Name==vm-01.corp");
        assert_eq!(Filter::eq("Name", "a b").to_string(), r#"Name=="a b""#);
        assert_eq!(Filter::ne("Name", r#"say "hi""#).to_string(), r#"Name!="say ""hi""""#);
        assert_eq!(Filter::eq("Name", "").to_string(), r#"Name==""#.to_owned() + "\"");
        assert_eq!(Filter::le("Id", "urn:veeam:Vm:1@x").to_string(), "Id<=urn:veeam:Vm:1@x");
        assert_eq!(Filter::eq("N", "a;b,c").to_string(), r#"N=="a;b,c""#);
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let f = Filter::eq("A", "1").and(Filter::eq("B", "2").or(Filter::eq("C", "3"))).and(Filter::lt("D", "4"));
        assert_eq!(f.to_string(), "A==1;(B==2,C==3);D<4");
        let g = Filter::eq("A", "1").and(Filter::eq("B", "2")).or(Filter::ge("C", "3"));
        assert_eq!(g.to_string(), "A==1;B==2,C>=3");
        assert_eq!(Filter::group(g).to_string(), "(A==1;B==2,C>=3)");
    }

    #[test]
    fn sort_names_its_direction() {
        assert_eq!(Sort::asc("Name").query_pair(), ("sortAsc", "Name"));
        assert_eq!(Sort::desc("CreationTime").query_pair(), ("sortDesc", "CreationTime"));
    }
}
