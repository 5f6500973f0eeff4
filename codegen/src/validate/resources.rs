//! Checks on resources: paths, parameters, representations, methods, and every link.

use std::collections::BTreeMap;

use super::{roles, TypeEntry, Validator};
use crate::diagnostics::Pos;
use crate::ir::ValueType;
use crate::names;
use crate::schema::*;

impl<'a> Validator<'a, '_, '_> {
    /// A representation or method becomes a method of the resource's client handle, beside the handle's
    /// own (`new`, `from_href`, `url`) and the traits it implements (`Clone`, `Debug`): those names would
    /// shadow or clash.
    fn check_call_name(&mut self, name: &Spanned<String>, r: &ResourceDecl) {
        const TAKEN: &[&str] = &["new", "from_href", "url", "clone", "clone_from", "fmt", "to_owned"];
        if TAKEN.contains(&name.value.as_str()) {
            let d = self.sink.error(
                name.pos,
                format!(
                    "`{}` is taken on the client handle of `{}`; name the call otherwise",
                    name.value, r.name.value
                ),
            );
            d.note(format!("for example `{}_{}`", name.value, names::field(&r.name.value)));
        }
    }

    pub(super) fn document_type(&mut self, ty: &Spanned<String>, what: &str) -> Option<&'a str> {
        match self.symbols.types.get(ty.value.as_str()).copied() {
            None => {
                self.unknown_type(ty);
                None
            }
            Some(entry) => match entry.root() {
                Some(_) => Some(entry.name().value.as_str()),
                None => {
                    self.sink.error(ty.pos, format!("{what} `{}` is not a document type (it has no `root`)", ty.value));
                    None
                }
            },
        }
    }

    pub(super) fn resource(&mut self, r: &'a ResourceDecl) {
        if !names::is_identifier(&r.name.value) {
            self.sink.error(r.name.pos, format!("`{}` is not a valid resource name", r.name.value));
        }
        let placeholders = match parse_path(&r.path.value) {
            Ok(p) => Some(p),
            Err(message) => {
                self.sink.error(r.path.pos, message);
                None
            }
        };
        let mut params: BTreeMap<&str, Pos> = BTreeMap::new();
        for p in &r.params {
            if params.insert(&p.name.value, p.name.pos).is_some() {
                self.sink.error(p.name.pos, format!("duplicate parameter `{}`", p.name.value));
            }
            if !matches!(p.ty.value.as_str(), "string" | "guid" | "uid" | "int" | "long") {
                self.sink.error(
                    p.ty.pos,
                    format!("a path parameter must be string, guid, uid, int or long, not `{}`", p.ty.value),
                );
            }
            if placeholders.as_ref().is_some_and(|ph| !ph.iter().any(|(name, _)| name == &p.name.value)) {
                self.sink.error(
                    p.name.pos,
                    format!("parameter `{}` does not appear in the path `{}`", p.name.value, r.path.value),
                );
            }
            self.check_rust_name(&p.rust);
        }
        for (name, _) in placeholders.iter().flatten() {
            if !params.contains_key(name.as_str()) {
                self.sink
                    .error(r.path.pos, format!("`{{{name}}}` in the path is not bound by a `<param name=\"{name}\">`"));
            }
        }
        let mut names_seen: BTreeMap<&str, Pos> = BTreeMap::new();
        for rep in &r.representations {
            self.check_call_name(&rep.name, r);
            if names_seen.insert(&rep.name.value, rep.name.pos).is_some() {
                self.sink.error(
                    rep.name.pos,
                    format!("duplicate representation `{}` in `{}`", rep.name.value, r.name.value),
                );
            }
            if let Some(q) = &rep.query {
                if parse_query(&q.value).is_none() {
                    self.sink.error(q.pos, format!("`{}` is not a `name=value` query", q.value));
                }
            }
            if let Some(auth) = &rep.auth {
                if !matches!(auth.value.as_str(), "session" | "none") {
                    self.sink.error(
                        auth.pos,
                        format!("a representation's `auth` must be session or none, not `{}`", auth.value),
                    );
                }
            }
            let Some(ty) = self.document_type(&rep.ty, "representation type") else { continue };
            for lt in &rep.link_types {
                match self.symbols.link_types.get(lt.value.as_str()) {
                    Some((other, first)) if *other != ty => {
                        let note = format!("it leads to `{other}` at {}", self.sink.at(*first));
                        self.sink
                            .error(lt.pos, format!("link type `{}` would lead to `{ty}` here", lt.value))
                            .note(note);
                    }
                    Some(_) => {}
                    None => {
                        self.symbols.link_types.insert(&lt.value, (ty, lt.pos));
                    }
                }
            }
        }
        let mut methods: BTreeMap<&str, Pos> = BTreeMap::new();
        for m in &r.methods {
            self.check_call_name(&m.name, r);
            if let Some(first) = methods.insert(&m.name.value, m.name.pos) {
                let note = format!("first declared at {}", self.sink.at(first));
                self.sink
                    .error(m.name.pos, format!("duplicate method `{}` in `{}`", m.name.value, r.name.value))
                    .note(note);
            }
            if !names::is_identifier(&m.name.value) || names::field(&m.name.value) != m.name.value {
                let snake = names::field(&m.name.value);
                let d = self
                    .sink
                    .error(m.name.pos, format!("method name `{}` must be a snake_case identifier", m.name.value));
                if names::is_identifier(&snake) && snake != m.name.value {
                    d.note(format!("did you mean `{snake}`?"));
                }
            }
            if !matches!(m.verb.value.as_str(), "GET" | "POST" | "PUT" | "DELETE") {
                self.sink.error(m.verb.pos, format!("`verb` must be GET, POST, PUT or DELETE, not `{}`", m.verb.value));
            }
            let status = m.status.value.parse::<u16>().ok().filter(|s| (100..600).contains(s));
            if status.is_none() {
                self.sink.error(m.status.pos, format!("`{}` is not an HTTP status code", m.status.value));
            }
            let response = match &m.response {
                Some(r) if r.value == "binary" => None,
                Some(r) => self.document_type(r, "response type"),
                None => None,
            };
            if m.returns_task {
                if status.is_some_and(|s| s != 202) {
                    self.sink.error(m.status.pos, "a method that returns a task answers 202");
                }
                if response.is_none() && m.response.as_ref().is_none_or(|r| r.value == "binary") {
                    self.sink.error(m.name.pos, "a method that returns a task needs a `response` document type");
                }
            }
            if let Some(auth) = &m.auth {
                if !matches!(auth.value.as_str(), "session" | "basic" | "none") {
                    self.sink.error(auth.pos, format!("`auth` must be session, basic or none, not `{}`", auth.value));
                }
            }
            for h in &m.response_headers {
                roles::check_header(h, self.sink);
                self.check_rust_name(&h.rust);
                let is_token = h.role.as_ref().is_some_and(|r| r.value == "session-token");
                if is_token && m.auth.as_ref().is_none_or(|a| a.value != "basic") {
                    self.sink.error(h.name.pos, "only the logon method (`auth=\"basic\"`) can carry the session token");
                }
            }
            let mut queries: BTreeMap<&str, Pos> = BTreeMap::new();
            for q in &m.queries {
                if queries.insert(&q.name.value, q.name.pos).is_some() {
                    self.sink.error(q.name.pos, format!("duplicate query parameter `{}`", q.name.value));
                }
                if let Some(ty) = &q.ty {
                    if ValueType::builtin(&ty.value).is_none()
                        && !matches!(self.symbols.types.get(ty.value.as_str()), Some(TypeEntry::Enum(_)))
                    {
                        if self.symbols.types.contains_key(ty.value.as_str()) {
                            self.sink
                                .error(ty.pos, format!("query parameter `{}` must have a simple type", q.name.value));
                        } else {
                            self.unknown_type(ty);
                        }
                    }
                }
                self.check_rust_name(&q.rust);
            }
            if let Some(req) = &m.request {
                self.document_type(&req.ty, "request type");
                for media in &req.media {
                    if !matches!(media.value.as_str(), "application/xml" | "application/json") {
                        self.sink.error(
                            media.pos,
                            format!(
                                "`{}` is not a media type EM accepts (application/xml, application/json)",
                                media.value
                            ),
                        );
                    }
                }
            }
        }
    }

    pub(super) fn links(&mut self, r: &'a ResourceDecl) {
        for rep in &r.representations {
            for link in &rep.links {
                self.link(link, Some(&r.name.value));
            }
        }
    }

    /// A link's type must be one some representation declares, and its method must exist
    /// (`Resource.method`, or a method of `resource` when the link is declared on one).
    pub(super) fn link(&mut self, link: &LinkDecl, resource: Option<&str>) {
        if let Some(lt) = &link.link_type {
            if !self.symbols.link_types.contains_key(lt.value.as_str()) {
                let d =
                    self.sink.error(lt.pos, format!("link type `{}` is not declared by any representation", lt.value));
                if let Some(best) = names::closest(&lt.value, self.symbols.link_types.keys().copied()) {
                    d.note(format!("did you mean `{best}`?"));
                }
            }
        }
        if let Some(m) = &link.method {
            let Some((res, method)) = m.value.split_once('.').or(resource.map(|r| (r, m.value.as_str()))) else {
                self.sink.error(m.pos, format!("link method `{}`: a link on a type names `Resource.method`", m.value));
                return;
            };
            match self.symbols.resources.get(res) {
                None => {
                    let d = self.sink.error(m.pos, format!("link method `{}`: no resource `{res}`", m.value));
                    if let Some(best) = names::closest(res, self.symbols.resources.keys().copied()) {
                        d.note(format!("did you mean `{best}`?"));
                    }
                }
                Some(target) if !target.methods.iter().any(|x| x.name.value == method) => {
                    let d =
                        self.sink.error(m.pos, format!("link method `{}`: `{res}` has no method `{method}`", m.value));
                    if let Some(best) = names::closest(method, target.methods.iter().map(|x| x.name.value.as_str())) {
                        d.note(format!("did you mean `{best}`?"));
                    }
                }
                Some(_) => {}
            }
        }
    }
}

/// Splits `name=value`.
pub fn parse_query(q: &str) -> Option<(&str, &str)> {
    let (k, v) = q.split_once('=')?;
    (!k.is_empty() && !v.is_empty() && !v.contains('=') && !k.contains('&') && !v.contains('&')).then_some((k, v))
}

/// The placeholders of a path template, with whether each takes the rest of the path.
pub fn parse_path(path: &str) -> Result<Vec<(String, bool)>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with `/`"));
    }
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("unbalanced `}}` in path `{path}`"));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("unclosed `{{` in path `{path}`"))?;
        let inner = &after[..close];
        let (name, tail) = match inner.strip_prefix('*') {
            Some(name) => (name, true),
            None => (inner, false),
        };
        if !names::is_identifier(name) {
            return Err(format!("`{{{inner}}}` in path `{path}` is not a parameter name"));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(format!("`{{{name}}}` appears twice in path `{path}`"));
        }
        rest = &after[close + 1..];
        if tail && !rest.is_empty() {
            return Err(format!("`{{*{name}}}` takes the rest of the path and must come last in `{path}`"));
        }
        out.push((name.to_owned(), tail));
    }
    Ok(out)
}
