//! Checks of the `role` marks the client and server code rely on: which field is a link's `Rel`, a
//! representation's `Links`, a task's `State`, an error's `Message`. A wrong role would only show up as a
//! compile error in generated code, so it is caught here, at the schema line.

use crate::diagnostics::Sink;
use crate::ir::{FieldRole, ValueType};
use crate::schema::{FieldDecl, HeaderDecl, Spanned};

use super::{Symbols, TypeEntry};

/// The role names, for messages.
const ROLES: &[&str] = &[
    "rel",
    "href",
    "link-type",
    "name",
    "links",
    "state",
    "result",
    "success",
    "message",
    "status-code",
    "items",
    "paging",
    "pages-count",
];

/// Checks one field's role against its kind and type.
pub(super) fn check_field(field: &FieldDecl, is_attribute: bool, symbols: &Symbols<'_>, sink: &mut Sink<'_>) {
    let Some(role) = &field.role else { return };
    let Some(parsed) = FieldRole::parse(&role.value) else {
        let suggestion = crate::names::closest(&role.value, ROLES.iter().copied());
        let e = sink.error(role.pos, format!("unknown role `{}`", role.value));
        if let Some(s) = suggestion {
            e.note(format!("did you mean `{s}`?"));
        }
        e.note(format!("roles: {}", ROLES.join(", ")));
        return;
    };
    let ty = field.ty.value.as_str();
    let simple = ValueType::builtin(ty).or_else(|| match symbols.types.get(ty) {
        Some(TypeEntry::Enum(_)) => Some(ValueType::Enum(ty.to_owned())),
        _ => None,
    });
    let fits = match parsed {
        FieldRole::Rel
        | FieldRole::Href
        | FieldRole::LinkType
        | FieldRole::Name
        | FieldRole::State
        | FieldRole::Message => {
            matches!(
                simple,
                Some(ValueType::String | ValueType::Url | ValueType::Uid | ValueType::Guid | ValueType::Enum(_))
            )
        }
        FieldRole::Success => simple == Some(ValueType::Boolean),
        FieldRole::StatusCode | FieldRole::PagesCount => {
            matches!(simple, Some(ValueType::Int | ValueType::Long | ValueType::UnsignedShort))
        }
        FieldRole::Items => {
            !is_attribute && matches!(symbols.types.get(ty), Some(TypeEntry::List(_) | TypeEntry::Complex(_)))
        }
        FieldRole::Paging => !is_attribute && matches!(symbols.types.get(ty), Some(TypeEntry::Complex(_))),
        FieldRole::Links => !is_attribute && matches!(symbols.types.get(ty), Some(TypeEntry::List(_))),
        FieldRole::Result => !is_attribute && matches!(symbols.types.get(ty), Some(TypeEntry::Complex(_))),
    };
    if !fits {
        let wanted = match parsed {
            FieldRole::Success => "a boolean",
            FieldRole::StatusCode | FieldRole::PagesCount => "an integer",
            FieldRole::Items => "an element holding a list or a structure of lists",
            FieldRole::Paging => "an element holding a structure",
            FieldRole::Links => "an element holding a list of links",
            FieldRole::Result => "an element holding a structure",
            _ => "a text value (string, url, uid, guid or an enum)",
        };
        sink.error(
            role.pos,
            format!("a field with role `{}` must be {wanted}, and `{}` is `{ty}`", role.value, field.name.value),
        );
    }
    if field.occurs.value == crate::schema::Occurs::Repeated {
        sink.error(role.pos, format!("a field with role `{}` cannot repeat", role.value));
    }
}

/// Checks that no role is given twice in one type (inherited fields included).
pub(super) fn check_unique<'a>(fields: impl Iterator<Item = &'a FieldDecl>, sink: &mut Sink<'_>) {
    let mut seen: Vec<&Spanned<String>> = Vec::new();
    // A page may hold its items in several lists.
    for role in fields.filter_map(|f| f.role.as_ref()).filter(|r| r.value != "items") {
        if let Some(first) = seen.iter().find(|r| r.value == role.value) {
            let note = format!("first given at {}", sink.at(first.pos));
            sink.error(role.pos, format!("role `{}` is given twice in one type", role.value)).note(note);
        } else {
            seen.push(role);
        }
    }
}

/// Checks a response header's role.
pub(super) fn check_header(header: &HeaderDecl, sink: &mut Sink<'_>) {
    if let Some(role) = &header.role {
        if role.value != "session-token" {
            sink.error(role.pos, format!("unknown header role `{}`; the only one is `session-token`", role.value));
        }
    }
}
