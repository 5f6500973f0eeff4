//! Test support shared by the integration tests.
//!
//! [`compare_documents`] compares two XML documents as trees. Two documents are equivalent when they have the
//! same elements (local name and namespace URI), the same attributes (namespace declarations and attribute
//! order aside) and the same text in leaf elements; prefixes, the XML declaration, comments and whitespace
//! between elements do not count.
//!
//! [`schema`] is the schema as the tests see it: its document roots and the JSON form of its types, read with
//! the generator library, and where the hand-written fixtures live.

use std::collections::BTreeMap;

// Each test crate that includes `support` uses a different part of it.
#[allow(dead_code)]
pub mod schema;

/// Parses both texts and compares them; the error names the first difference and its path.
pub fn compare_documents(original: &str, reencoded: &str) -> Result<(), String> {
    let a = roxmltree::Document::parse(original).map_err(|err| format!("original is not XML: {err}"))?;
    let b =
        roxmltree::Document::parse(reencoded).map_err(|err| format!("re-encoding is not well-formed XML: {err}"))?;
    compare_elements(a.root_element(), b.root_element(), &mut String::new())
}

/// What of an element's content counts: child elements, plus text. A leaf's text counts exactly (even if
/// only whitespace, even if empty); in an element with child elements, whitespace-only text is layout.
#[derive(Debug)]
enum Item<'a, 'input> {
    Element(roxmltree::Node<'a, 'input>),
    Text(String),
}

fn content<'a, 'input>(node: roxmltree::Node<'a, 'input>) -> Vec<Item<'a, 'input>> {
    if !node.children().any(|child| child.is_element()) {
        let text: String = node.children().filter(|child| child.is_text()).filter_map(|child| child.text()).collect();
        return vec![Item::Text(text)];
    }
    node.children()
        .filter_map(|child| {
            if child.is_element() {
                Some(Item::Element(child))
            } else if child.is_text() {
                child.text().filter(|text| !text.trim().is_empty()).map(|text| Item::Text(text.to_owned()))
            } else {
                None // comments and processing instructions
            }
        })
        .collect()
}

fn describe(item: &Item<'_, '_>) -> String {
    match item {
        Item::Element(node) => format!("element <{}>", node.tag_name().name()),
        Item::Text(text) => format!("text {:?}", shorten(text)),
    }
}

/// Compares `original` with `reencoded`; the error names the first difference and where it is.
fn compare_elements(
    original: roxmltree::Node<'_, '_>,
    reencoded: roxmltree::Node<'_, '_>,
    path: &mut String,
) -> Result<(), String> {
    let (a, b) = (original.tag_name(), reencoded.tag_name());
    path.push('/');
    path.push_str(&step(original));
    if a.name() != b.name() {
        return Err(format!("{path}: element is <{}> in the re-encoding", b.name()));
    }
    if a.namespace() != b.namespace() {
        return Err(format!(
            "{path}: namespace {:?} in the original, {:?} in the re-encoding",
            a.namespace(),
            b.namespace()
        ));
    }

    let attributes = |node: roxmltree::Node<'_, '_>| -> BTreeMap<String, String> {
        node.attributes()
            .map(|attr| {
                let name = match attr.namespace() {
                    Some(ns) => format!("{{{ns}}}{}", attr.name()),
                    None => attr.name().to_owned(),
                };
                (name, attr.value().to_owned())
            })
            .collect()
    };
    let (attrs_a, attrs_b) = (attributes(original), attributes(reencoded));
    for (name, value) in &attrs_a {
        match attrs_b.get(name) {
            None => return Err(format!("{path}/@{name}: missing from the re-encoding (original {value:?})")),
            Some(other) if other != value => {
                return Err(format!("{path}/@{name}: {value:?} in the original, {other:?} in the re-encoding"))
            }
            Some(_) => {}
        }
    }
    if let Some((name, value)) = attrs_b.iter().find(|(name, _)| !attrs_a.contains_key(*name)) {
        return Err(format!("{path}/@{name}: not in the original, {value:?} in the re-encoding"));
    }

    let (items_a, items_b) = (content(original), content(reencoded));
    for index in 0..items_a.len().max(items_b.len()) {
        match (items_a.get(index), items_b.get(index)) {
            (Some(Item::Element(x)), Some(Item::Element(y))) if x.tag_name().name() == y.tag_name().name() => {
                let len = path.len();
                compare_elements(*x, *y, path)?;
                path.truncate(len);
            }
            (Some(Item::Text(x)), Some(Item::Text(y))) if x == y => {}
            (Some(Item::Text(x)), Some(Item::Text(y))) => {
                return Err(format!(
                    "{path}: text {:?} in the original, {:?} in the re-encoding",
                    shorten(x),
                    shorten(y)
                ))
            }
            (Some(x), Some(y)) => {
                return Err(format!(
                    "{path}: content item {} is {} in the original but {} in the re-encoding",
                    index + 1,
                    describe(x),
                    describe(y)
                ))
            }
            (Some(x), None) => {
                return Err(format!("{path}: {} (item {}) is missing from the re-encoding", describe(x), index + 1))
            }
            (None, Some(y)) => return Err(format!("{path}: re-encoding adds {} (item {})", describe(y), index + 1)),
            (None, None) => unreachable!(),
        }
    }
    Ok(())
}

/// `Name`, or `Name[n]` (1-based) when the parent has several `Name` children.
fn step(node: roxmltree::Node<'_, '_>) -> String {
    let name = node.tag_name().name();
    let same = |other: &roxmltree::Node<'_, '_>| other.is_element() && other.tag_name().name() == name;
    let Some(parent) = node.parent_element() else { return name.to_owned() };
    if parent.children().filter(same).count() < 2 {
        return name.to_owned();
    }
    let position = node.prev_siblings().filter(same).count();
    format!("{name}[{position}]")
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    }
}
