//! `<extend>` and `<correct>`: applies each amendment to the declaration it names, wherever that was made
//! (another schema file, or an XSD), before anything is validated. What an amendment adds keeps its own
//! position, so later errors point into the file that added it.

use super::{
    AmendKind, Amendment, ComplexDecl, EnumDecl, FieldDecl, Item, ListDecl, Member, MemberCorrection, ResourceDecl,
    SchemaFile, TargetKind,
};
use crate::diagnostics::Sink;

/// Takes the amendments out of `files` and applies them in file order. Every target must exist; an
/// `<extend>` may not add a name that is there already, and a `<correct>` may only name what is there.
pub fn merge(files: &mut [SchemaFile], sink: &mut Sink<'_>) {
    let mut amendments = Vec::new();
    for file in files.iter_mut() {
        let (amend, keep): (Vec<Item>, Vec<Item>) =
            std::mem::take(&mut file.items).into_iter().partition(|i| matches!(i, Item::Amend(_)));
        file.items = keep;
        amendments.extend(amend.into_iter().filter_map(|i| if let Item::Amend(a) = i { Some(a) } else { None }));
    }
    for amendment in amendments {
        apply(files, amendment, sink);
    }
}

fn apply(files: &mut [SchemaFile], a: Amendment, sink: &mut Sink<'_>) {
    let target = a.target.value.clone();
    let found = files.iter_mut().flat_map(|f| f.items.iter_mut()).find_map(|item| match (item, a.what) {
        (Item::Complex(d), TargetKind::Complex) if d.name.value == target => Some(Target::Complex(d)),
        (Item::Enum(d), TargetKind::Enum) if d.name.value == target => Some(Target::Enum(d)),
        (Item::List(d), TargetKind::List) if d.name.value == target => Some(Target::List(d)),
        (Item::Resource(d), TargetKind::Resource) if d.name.value == target => Some(Target::Resource(d)),
        _ => None,
    });
    let Some(mut found) = found else {
        let verb = if a.kind == AmendKind::Extend { "extend" } else { "correct" };
        sink.error(a.target.pos, format!("cannot {verb} `{target}`: no {} of that name is declared", a.what.word()));
        return;
    };
    if let (Some(rust), AmendKind::Correct) = (a.rust.clone(), a.kind) {
        match &mut found {
            Target::Complex(d) => d.rust.replace(rust),
            Target::Enum(d) => d.rust.replace(rust),
            Target::List(d) => d.rust.replace(rust),
            Target::Resource(_) => None,
        };
    }
    match (found, a.kind) {
        (Target::Complex(d), AmendKind::Extend) => {
            extend_complex(d, a.members, sink);
            d.links.extend(a.type_links);
        }
        (Target::Complex(d), AmendKind::Correct) => {
            for c in a.corrections {
                correct_member(d, c, sink);
            }
        }
        (Target::Enum(d), AmendKind::Extend) => {
            for value in a.values {
                if let Some(first) = d.values.iter().find(|v| v.name.value == value.name.value) {
                    let note = format!("declared at {}", sink.at(first.name.pos));
                    sink.error(
                        value.name.pos,
                        format!("enum `{}` already has the value `{}`", d.name.value, value.name.value),
                    )
                    .note(note);
                } else {
                    d.values.push(value);
                }
            }
        }
        (Target::Enum(d), AmendKind::Correct) => {
            for value in a.values {
                match d.values.iter_mut().find(|v| v.name.value == value.name.value) {
                    Some(v) => {
                        v.rust = value.rust.or(v.rust.take());
                        v.doc = value.doc.or(v.doc.take());
                    }
                    None => {
                        sink.error(
                            value.name.pos,
                            format!("enum `{}` has no value `{}` to correct", d.name.value, value.name.value),
                        );
                    }
                }
            }
        }
        (Target::List(d), _) => {
            if let Some(list) = a.list {
                d.json_key = list.json_key.or(d.json_key.take());
                d.item_aliases.extend(list.item_aliases);
            }
        }
        (Target::Resource(d), _) => {
            for r in a.representations {
                if let Some(first) = d.representations.iter().find(|x| x.name.value == r.name.value) {
                    let note = format!("declared at {}", sink.at(first.name.pos));
                    sink.error(
                        r.name.pos,
                        format!("resource `{}` already has a representation `{}`", d.name.value, r.name.value),
                    )
                    .note(note);
                } else {
                    d.representations.push(r);
                }
            }
            for m in a.methods {
                if let Some(first) = d.methods.iter().find(|x| x.name.value == m.name.value) {
                    let note = format!("declared at {}", sink.at(first.name.pos));
                    sink.error(
                        m.name.pos,
                        format!("resource `{}` already has a method `{}`", d.name.value, m.name.value),
                    )
                    .note(note);
                } else {
                    d.methods.push(m);
                }
            }
            for (representation, link) in a.links {
                match d.representations.iter_mut().find(|x| x.name.value == representation.value) {
                    Some(r) => r.links.push(link),
                    None => {
                        sink.error(
                            representation.pos,
                            format!("resource `{}` has no representation `{}`", d.name.value, representation.value),
                        );
                    }
                }
            }
        }
    }
}

enum Target<'f> {
    Complex(&'f mut ComplexDecl),
    Enum(&'f mut EnumDecl),
    List(&'f mut ListDecl),
    Resource(&'f mut ResourceDecl),
}

/// The name a member is known by in `<extend>` and `<correct>`.
fn member_name(m: &Member) -> &str {
    match m {
        Member::Attribute(f) | Member::Element(f) | Member::Text(f) => &f.name.value,
        Member::Choice(c) => &c.name.value,
    }
}

fn extend_complex(d: &mut ComplexDecl, members: Vec<Member>, sink: &mut Sink<'_>) {
    for member in members {
        let name = member_name(&member).to_owned();
        let existing = d.members.iter_mut().find(|m| member_name(m) == name);
        match (existing, member) {
            // A choice named again gets the new alternatives.
            (Some(Member::Choice(choice)), Member::Choice(more)) => choice.alternatives.extend(more.alternatives),
            (Some(existing), member) => {
                let pos = match &member {
                    Member::Attribute(f) | Member::Element(f) | Member::Text(f) => f.name.pos,
                    Member::Choice(c) => c.name.pos,
                };
                let first = match existing {
                    Member::Attribute(f) | Member::Element(f) | Member::Text(f) => f.name.pos,
                    Member::Choice(c) => c.name.pos,
                };
                let note = format!("declared at {}; `<correct>` changes a member", sink.at(first));
                sink.error(pos, format!("`{}` already has a member `{name}`", d.name.value)).note(note);
            }
            (None, member) => d.members.push(member),
        }
    }
}

fn correct_member(d: &mut ComplexDecl, c: MemberCorrection, sink: &mut Sink<'_>) {
    let field: Option<&mut FieldDecl> = d.members.iter_mut().find_map(|m| match m {
        Member::Attribute(f) | Member::Element(f) | Member::Text(f) if f.name.value == c.name.value => Some(f),
        // An alternative of a choice is corrected like an element.
        Member::Choice(choice) => choice.alternatives.iter_mut().find(|a| a.name.value == c.name.value),
        _ => None,
    });
    let Some(f) = field else {
        sink.error(c.name.pos, format!("`{}` has no member `{}` to correct", d.name.value, c.name.value));
        return;
    };
    if let Some(ty) = c.ty {
        f.ty = ty;
    }
    if let Some(occurs) = c.occurs {
        f.occurs = occurs;
    }
    f.json = c.json.or(f.json.take());
    f.rust = c.rust.or(f.rust.take());
    f.role = c.role.or(f.role.take());
    f.json_key = c.json_key.or(f.json_key.take());
    f.json_aliases.extend(c.json_aliases);
    f.doc = c.doc.or(f.doc.take());
}
