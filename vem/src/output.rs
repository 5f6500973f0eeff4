//! Printing results: a readable table by default, EM's JSON form with `--json` (lists as one array of
//! their items, so `jq '.[]'` works whatever the paging was), EM's XML with `--xml`.

use std::io::{self, Write};

use serde::Serialize;
use veeam_em::model::Link;
use veeam_em::runtime::XmlDocument;

use crate::failure::Failure;

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Xml,
}

impl Format {
    /// From the `--json` and `--xml` flags (clap keeps them exclusive).
    pub fn from_flags(json: bool, xml: bool) -> Format {
        match (json, xml) {
            (true, _) => Format::Json,
            (_, true) => Format::Xml,
            _ => Format::Table,
        }
    }
}

/// Prints one document: `table` renders the table form.
pub fn document<T: XmlDocument + Serialize>(format: Format, doc: &T, table: impl FnOnce(&T) -> String) -> Outcome {
    match format {
        Format::Table => emit(&table(doc)),
        Format::Json => emit(&json(doc)?),
        Format::Xml => emit(&doc.to_xml()),
    }
}

/// Prints a list: the items as one JSON array, the list document as XML, or the table.
pub fn list<L: XmlDocument, I: Serialize>(
    format: Format,
    doc: &L,
    items: &[I],
    table: impl FnOnce() -> String,
) -> Outcome {
    match format {
        Format::Table => emit(&table()),
        Format::Json => emit(&json(items)?),
        Format::Xml => emit(&doc.to_xml()),
    }
}

/// The result of printing.
pub type Outcome = Result<(), Failure>;

/// Pretty JSON of a model value.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(|err| Failure::input(format!("cannot encode as JSON: {err}")))
}

/// Writes `text` and a newline to stdout. A closed pipe (`vem ... | head`) is not an error worth a
/// message; anything else is reported.
pub fn emit(text: &str) -> Outcome {
    let mut stdout = io::stdout().lock();
    let result = writeln!(stdout, "{}", text.trim_end_matches('\n')).and_then(|()| stdout.flush());
    match result {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            Err(Failure::input(format!("cannot write output: {err}")))
        }
        _ => Ok(()),
    }
}

/// A table with aligned columns; an empty table prints its header only.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { header: header.iter().map(|h| (*h).to_owned()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = row.get(i).map_or("", String::as_str);
                if i + 1 == columns {
                    line.push_str(cell);
                } else {
                    line.push_str(&format!("{cell:<width$}  "));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// `Name: value` lines for one resource, names aligned; absent values are left out.
pub fn fields(pairs: &[(&str, Option<String>)]) -> String {
    let width = pairs.iter().filter(|(_, v)| v.is_some()).map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, value) in pairs {
        if let Some(value) = value {
            let line = format!("{:<width$}  {value}", format!("{name}:"), width = width + 1);
            // A multi-line value (links) starts on the next line: no padding left dangling.
            for part in line.lines() {
                out.push_str(part.trim_end());
                out.push('\n');
            }
        }
    }
    out
}

/// An optional value as text, `-` when absent (for table cells).
pub fn cell<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// Links as `Rel Type Href` lines, indented, for the table form of a single resource.
pub fn links(links: Option<&[Link]>) -> Option<String> {
    let links = links.filter(|l| !l.is_empty())?;
    let mut text = String::new();
    for link in links {
        text.push_str(&format!("\n  {} {} {}", link.rel, link.link_type.as_deref().unwrap_or("-"), link.href));
    }
    Some(text)
}

/// The GUID at the end of a `urn:veeam:Type:GUID` UID (the id commands take), or the UID as is.
pub fn uid_id(uid: Option<&str>) -> Option<String> {
    uid.map(|uid| uid.rsplit(':').next().unwrap_or(uid).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let mut table = Table::new(&["ID", "NAME"]);
        table.row(vec!["1".into(), "short".into()]);
        table.row(vec!["1234".into(), "x".into()]);
        assert_eq!(table.render(), "ID    NAME\n1     short\n1234  x\n");
    }

    #[test]
    fn fields_skip_absent_values() {
        let text = fields(&[("Name", Some("a".into())), ("Gone", None), ("Longer", Some("b".into()))]);
        assert_eq!(text, "Name:    a\nLonger:  b\n");
    }
}
