//! The `.xsd` files as a set: parsed documents, target namespaces, `xs:include` and `xs:import` between
//! them, the global declarations, and QName look-ups that respect what each file can see.

use std::collections::{BTreeMap, BTreeSet};

use roxmltree::{Document, Node};

use super::Input;
use crate::diagnostics::{LineIndex, Pos, Sink};

/// The XML Schema namespace.
pub(super) const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// The `xml:` namespace, whose schema nobody needs to load.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// One parsed `.xsd` file.
pub(super) struct XsdFile<'t> {
    /// Index of the file among all sources (for [`Pos::file`]).
    pub index: usize,
    /// Module name (the file stem).
    pub module: String,
    /// Display path.
    pub path: String,
    pub doc: Document<'t>,
    lines: LineIndex,
}

/// Parses every input; a file that is not well-formed or not an `xs:schema` is reported and left out.
pub(super) fn read<'t>(inputs: &[Input<'t>], sink: &mut Sink<'_>) -> Vec<XsdFile<'t>> {
    let mut files = Vec::new();
    for input in inputs {
        // Editors do not count a byte order mark as a column; neither do positions here.
        let text = input.text.strip_prefix('\u{feff}').unwrap_or(input.text);
        let doc = match Document::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                let p = e.pos();
                sink.error(Pos { file: input.index, line: p.row, col: p.col }, format!("not well-formed XML: {e}"));
                continue;
            }
        };
        let root = doc.root_element();
        if root.tag_name().name() != "schema" || root.tag_name().namespace() != Some(XS) {
            let lines = LineIndex::new(text);
            let pos = lines.pos(input.index, text, root.range().start);
            sink.error(
                pos,
                format!("the root element of an .xsd file must be `xs:schema`, found `<{}>`", root.tag_name().name()),
            )
            .note(format!("`xs` is the namespace {XS}"));
            continue;
        }
        files.push(XsdFile {
            index: input.index,
            module: input.module.clone(),
            path: input.path.to_owned(),
            lines: LineIndex::new(text),
            doc,
        });
    }
    files
}

/// The symbol spaces of global declarations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Space {
    Type,
    Element,
    Attribute,
    Group,
    AttributeGroup,
}

impl Space {
    fn what(self) -> &'static str {
        match self {
            Space::Type => "type",
            Space::Element => "element",
            Space::Attribute => "attribute",
            Space::Group => "group",
            Space::AttributeGroup => "attribute group",
        }
    }

    /// The space a global declaration element defines, if any.
    fn of(local: &str) -> Option<Space> {
        Some(match local {
            "complexType" | "simpleType" => Space::Type,
            "element" => Space::Element,
            "attribute" => Space::Attribute,
            "group" => Space::Group,
            "attributeGroup" => Space::AttributeGroup,
            _ => return None,
        })
    }
}

/// The result of a QName look-up.
#[derive(Clone, Copy, Debug)]
pub(super) enum Found<'d, 't> {
    /// An XML Schema built-in (`xs:string`): its local name.
    Builtin(&'d str),
    /// A global declaration: the file (index into the file list) and the node.
    Global(usize, Node<'d, 't>),
}

/// The file set, resolved.
pub(super) struct Ctx<'d, 't> {
    pub files: &'d [XsdFile<'t>],
    /// Own `targetNamespace` of each file.
    own_ns: Vec<Option<&'d str>>,
    /// Effective namespace: a file without one takes that of the first file that includes it.
    ns: Vec<Option<&'d str>>,
    /// The files each file sees (itself, and what it includes or imports, transitively).
    visible: Vec<BTreeSet<usize>>,
    globals: BTreeMap<(Space, Option<&'d str>, &'d str), (usize, Node<'d, 't>)>,
}

/// Whether `node` is the XML Schema element `local`.
pub(super) fn is_xs(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XS) && node.tag_name().name() == local
}

/// The element children of `node`.
pub(super) fn children<'d, 't>(node: Node<'d, 't>) -> impl Iterator<Item = Node<'d, 't>> {
    node.children().filter(Node::is_element)
}

impl<'d, 't> Ctx<'d, 't> {
    /// Resolves includes and imports and collects the global declarations. `all_paths` are the display
    /// paths of every source being loaded (`.xml` ones too), indexed like [`Pos::file`].
    pub(super) fn new(files: &'d [XsdFile<'t>], all_paths: &[String], sink: &mut Sink<'_>) -> Self {
        let own_ns: Vec<Option<&'d str>> =
            files.iter().map(|f| f.doc.root_element().attribute("targetNamespace")).collect();
        let mut ctx = Ctx { files, ns: own_ns.clone(), own_ns, visible: Vec::new(), globals: BTreeMap::new() };
        let (includes, imports) = ctx.directives(all_paths, sink);
        // Chameleon includes: a file without a namespace takes its includer's. Chains settle in at most
        // one round per file.
        for _ in 0..files.len() {
            let mut changed = false;
            for (from, targets) in includes.iter().enumerate() {
                for &to in targets {
                    if ctx.own_ns[to].is_none() && ctx.ns[to].is_none() && ctx.ns[from].is_some() {
                        ctx.ns[to] = ctx.ns[from];
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        ctx.visible = (0..files.len())
            .map(|start| {
                let mut seen = BTreeSet::from([start]);
                let mut stack = vec![start];
                while let Some(f) = stack.pop() {
                    for &next in includes[f].iter().chain(&imports[f]) {
                        if seen.insert(next) {
                            stack.push(next);
                        }
                    }
                }
                seen
            })
            .collect();
        ctx.collect_globals(sink);
        ctx
    }

    /// Position of a byte offset of file `f`.
    pub(super) fn at(&self, f: usize, offset: usize) -> Pos {
        let file = &self.files[f];
        file.lines.pos(file.index, file.doc.input_text(), offset)
    }

    /// Position of a node's start.
    pub(super) fn pos(&self, f: usize, node: Node<'_, '_>) -> Pos {
        self.at(f, node.range().start)
    }

    /// Position of the value of attribute `name` of `node`, or of the node when it has none.
    pub(super) fn attr_pos(&self, f: usize, node: Node<'_, '_>, name: &str) -> Pos {
        match node.attributes().find(|a| a.name() == name && a.namespace().is_none()) {
            Some(a) => self.at(f, a.range_value().start),
            None => self.pos(f, node),
        }
    }

    /// `xs:include`, `xs:import`, `xs:redefine` and `xs:override` of every file: the files each includes
    /// and imports (indices into `files`).
    fn directives(&self, all_paths: &[String], sink: &mut Sink<'_>) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let by_path: BTreeMap<String, usize> = all_paths.iter().enumerate().map(|(i, p)| (normalize(p), i)).collect();
        let by_source: BTreeMap<usize, usize> = self.files.iter().enumerate().map(|(i, f)| (f.index, i)).collect();
        let mut includes = vec![Vec::new(); self.files.len()];
        let mut imports = vec![Vec::new(); self.files.len()];
        for (f, file) in self.files.iter().enumerate() {
            for node in children(file.doc.root_element()) {
                if node.tag_name().namespace() != Some(XS) {
                    continue;
                }
                match node.tag_name().name() {
                    "include" => {
                        let Some(location) = node.attribute("schemaLocation") else {
                            sink.error(self.pos(f, node), "`xs:include` needs a `schemaLocation`");
                            continue;
                        };
                        let pos = self.attr_pos(f, node, "schemaLocation");
                        let Some(to) = self.locate(f, location, pos, &by_path, &by_source, sink) else { continue };
                        match (self.own_ns[to], self.own_ns[f]) {
                            (Some(theirs), mine) if Some(theirs) != mine => {
                                sink.error(
                                    pos,
                                    format!(
                                        "`{location}` has the target namespace `{theirs}`, so it cannot be included here; use `xs:import`"
                                    ),
                                )
                                .note("an included file has the including file's target namespace, or none");
                            }
                            _ => includes[f].push(to),
                        }
                    }
                    "import" => {
                        let namespace = node.attribute("namespace");
                        if matches!(namespace, Some(XS | XML_NS)) {
                            continue;
                        }
                        if let Some(location) = node.attribute("schemaLocation") {
                            let pos = self.attr_pos(f, node, "schemaLocation");
                            let Some(to) = self.locate(f, location, pos, &by_path, &by_source, sink) else {
                                continue;
                            };
                            if self.own_ns[to] != namespace {
                                let theirs = self.own_ns[to].unwrap_or("(none)");
                                let wanted = namespace.unwrap_or("(none)");
                                sink.error(
                                    pos,
                                    format!(
                                        "`{location}` has the target namespace `{theirs}`, not the imported `{wanted}`"
                                    ),
                                );
                                continue;
                            }
                            imports[f].push(to);
                        } else {
                            let found: Vec<usize> =
                                (0..self.files.len()).filter(|&i| i != f && self.own_ns[i] == namespace).collect();
                            if found.is_empty() {
                                let wanted = namespace.unwrap_or("(none)");
                                sink.error(
                                    self.pos(f, node),
                                    format!("no loaded .xsd file has the target namespace `{wanted}` this `xs:import` names"),
                                )
                                .note("give a `schemaLocation`, or add the file to the schema folder");
                            }
                            imports[f].extend(found);
                        }
                    }
                    "redefine" | "override" => {
                        let name = node.tag_name().name();
                        sink.error(self.pos(f, node), format!("xs:{name} is not supported"));
                    }
                    _ => {}
                }
            }
        }
        (includes, imports)
    }

    /// The file a `schemaLocation` of file `f` names, among the loaded files.
    fn locate(
        &self,
        f: usize,
        location: &str,
        pos: Pos,
        by_path: &BTreeMap<String, usize>,
        by_source: &BTreeMap<usize, usize>,
        sink: &mut Sink<'_>,
    ) -> Option<usize> {
        if location.contains("://") || location.starts_with('/') || location.starts_with('\\') {
            sink.error(
                pos,
                format!("`{location}` is not a relative path; only files loaded beside this one can be included"),
            );
            return None;
        }
        let path = &self.files[f].path;
        let dir = match path.rfind(['/', '\\']) {
            Some(at) => &path[..=at],
            None => "",
        };
        let wanted = normalize(&format!("{dir}{location}"));
        let Some(&source) = by_path.get(&wanted) else {
            sink.error(pos, format!("cannot find `{location}` among the loaded files (looked for `{wanted}`)"))
                .note("the generator reads every .xsd and .xml file of the schema folder; put the file there");
            return None;
        };
        match by_source.get(&source) {
            Some(&to) => Some(to),
            None if super::is_xsd(&wanted) => None, // not well-formed or not a schema: reported already
            None => {
                sink.error(pos, format!("`{location}` is not an .xsd file"));
                None
            }
        }
    }

    fn collect_globals(&mut self, sink: &mut Sink<'_>) {
        for (f, file) in self.files.iter().enumerate() {
            for node in children(file.doc.root_element()) {
                if node.tag_name().namespace() != Some(XS) {
                    continue;
                }
                let Some(space) = Space::of(node.tag_name().name()) else { continue };
                let Some(name) = node.attribute("name") else {
                    sink.error(self.pos(f, node), format!("a global `xs:{}` needs a `name`", node.tag_name().name()));
                    continue;
                };
                let key = (space, self.ns[f], name);
                if let Some(&(first_file, first)) = self.globals.get(&key) {
                    let note = format!("first declared at {}", sink.at(self.attr_pos(first_file, first, "name")));
                    sink.error(self.attr_pos(f, node, "name"), format!("duplicate {} `{name}`", space.what()))
                        .note(note);
                } else {
                    self.globals.insert(key, (f, node));
                }
            }
        }
    }

    /// Splits a QName written on `node` into its namespace and local name.
    fn resolve_qname(
        &self,
        f: usize,
        node: Node<'d, 't>,
        value: &'d str,
    ) -> Result<(Option<&'d str>, &'d str), String> {
        let (prefix, local) = match value.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, value),
        };
        let ns = match prefix {
            Some(p) => Some(
                node.lookup_namespace_uri(Some(p))
                    .ok_or_else(|| format!("the prefix `{p}` of `{value}` is not declared"))?,
            ),
            None => node.lookup_namespace_uri(None),
        };
        // In a file without a target namespace, unqualified references mean its includer's namespace.
        let ns = if ns.is_none() && self.own_ns[f].is_none() { self.ns[f] } else { ns };
        Ok((ns, local))
    }

    /// Looks `value` (a QName written on `node` of file `f`, its value at `pos`) up in `space`, reporting
    /// what goes wrong.
    pub(super) fn lookup(
        &self,
        f: usize,
        node: Node<'d, 't>,
        space: Space,
        value: &'d str,
        pos: Pos,
        sink: &mut Sink<'_>,
    ) -> Option<Found<'d, 't>> {
        let (ns, local) = match self.resolve_qname(f, node, value) {
            Ok(found) => found,
            Err(message) => {
                sink.error(pos, message);
                return None;
            }
        };
        if ns == Some(XS) && space == Space::Type {
            return Some(Found::Builtin(local));
        }
        match self.globals.get(&(space, ns, local)) {
            Some(&(g, found)) if self.visible[f].contains(&g) => Some(Found::Global(g, found)),
            Some(&(g, _)) => {
                sink.error(
                    pos,
                    format!(
                        "{} `{value}` is declared in `{}`, which `{}` neither includes nor imports",
                        space.what(),
                        self.files[g].path,
                        self.files[f].path
                    ),
                );
                None
            }
            None => {
                let d = sink.error(pos, format!("unknown {} `{value}`", space.what()));
                let visible = self
                    .globals
                    .iter()
                    .filter(|((s, n, _), (g, _))| *s == space && *n == ns && self.visible[f].contains(g))
                    .map(|((_, _, name), _)| *name);
                if let Some(best) = crate::names::closest(local, visible) {
                    d.note(format!("did you mean `{best}`?"));
                } else if let Some(((_, Some(other), _), _)) =
                    self.globals.iter().find(|((s, n, name), _)| *s == space && *name == local && *n != ns)
                {
                    d.note(format!("`{local}` is declared in the namespace `{other}`; check the prefix"));
                }
                None
            }
        }
    }

    /// [`Ctx::lookup`] without reports, for the passes that only look ahead.
    pub(super) fn peek(&self, f: usize, node: Node<'d, 't>, space: Space, value: &'d str) -> Option<Found<'d, 't>> {
        let (ns, local) = self.resolve_qname(f, node, value).ok()?;
        if ns == Some(XS) && space == Space::Type {
            return Some(Found::Builtin(local));
        }
        let &(g, found) = self.globals.get(&(space, ns, local))?;
        self.visible[f].contains(&g).then_some(Found::Global(g, found))
    }

    /// Whether `(f, node)` is the declaration the global table holds (a duplicate is not).
    pub(super) fn is_registered(&self, f: usize, node: Node<'d, 't>) -> bool {
        let (Some(space), Some(name)) = (Space::of(node.tag_name().name()), node.attribute("name")) else {
            return false;
        };
        self.globals.get(&(space, self.ns[f], name)).is_some_and(|(g, n)| *g == f && *n == node)
    }
}

/// `a/./b/../c.xsd` -> `a/c.xsd`, with `/` separators.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn paths_are_compared_normalized() {
        assert_eq!(normalize("schemas/./sub/../common.xsd"), "schemas/common.xsd");
        assert_eq!(normalize("schemas\\common.xsd"), "schemas/common.xsd");
        assert_eq!(normalize("../x.xsd"), "../x.xsd");
    }
}
