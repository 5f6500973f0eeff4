//! The resolved, language-neutral model the emitters print from.
//!
//! Plain data: every name is resolved, every inherited field is copied into the derived type in wire
//! order, and nothing refers back to the schema's syntax. A future XSD front-end produces the same IR.

mod lower;

pub use lower::lower;

/// Everything the generator knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ir {
    /// One module per schema file, in file-name order.
    pub modules: Vec<Module>,
    /// Every resource, in schema order.
    pub resources: Vec<Resource>,
}

impl Ir {
    /// Every named type, in module order.
    pub fn types(&self) -> impl Iterator<Item = &TypeDef> {
        self.modules.iter().flat_map(|m| &m.types)
    }

    /// The Rust name of the first structure with a field playing `role` (the error body has
    /// `StatusCode`, the task `State`).
    pub fn struct_with_role(&self, role: FieldRole) -> Option<&str> {
        self.types().find_map(|t| match &t.kind {
            TypeKind::Struct(s) if s.fields.iter().any(|f| f.role == Some(role)) => Some(t.rust_name.as_str()),
            _ => None,
        })
    }
}

/// The types declared in one schema file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// Rust module name.
    pub name: String,
    /// Display path of the schema file it came from.
    pub source: String,
    /// Module documentation.
    pub doc: Option<String>,
    /// Types in declaration order (abstract types are not here: their members live in derived types).
    pub types: Vec<TypeDef>,
}

/// A named type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    /// Name in the schema (and on the wire, for link types and roots).
    pub name: String,
    /// Rust type name.
    pub rust_name: String,
    /// Description.
    pub doc: Option<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The kinds of named type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeKind {
    /// An open enumeration.
    Enum(EnumType),
    /// A structure of attributes and elements.
    Struct(StructType),
    /// A list wrapper.
    List(ListType),
    /// One of several elements (the enum behind a choice field).
    Choice(Choice),
}

/// An open enumeration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    /// Known values, in schema order.
    pub values: Vec<EnumValue>,
}

/// A known value of an enumeration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// Wire form.
    pub wire: String,
    /// Rust variant name.
    pub rust_name: String,
    /// Description.
    pub doc: Option<String>,
}

/// A structure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructType {
    /// Document root element name, when the type can be a whole document.
    pub root: Option<String>,
    /// Base types, nearest first (for documentation).
    pub bases: Vec<String>,
    /// Fields in Rust and JSON order: the type's own first, then each base's (EM's JSON order).
    pub fields: Vec<Field>,
    /// Links the type carries wherever it appears (declared on the type, not on a representation).
    pub links: Vec<Link>,
}

impl StructType {
    /// The element fields in wire order.
    pub fn elements_in_wire_order(&self) -> Vec<&Field> {
        let mut elements: Vec<&Field> = self.fields.iter().filter(|f| f.wire_index.is_some()).collect();
        elements.sort_by_key(|f| f.wire_index);
        elements
    }
}

/// A field of a structure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Rust field name (unescaped; keywords are escaped when printed).
    pub rust_name: String,
    /// JSON property name (`None` for a choice, whose alternatives are properties of their own).
    pub json_name: Option<String>,
    /// Other JSON property names accepted on read.
    pub json_aliases: Vec<String>,
    /// Other element names accepted on read (an element field's wire name as some servers spell it).
    pub xml_aliases: Vec<String>,
    /// Description.
    pub doc: Option<String>,
    /// Cardinality.
    pub occurs: Occurs,
    /// Where it lives in XML and what it holds.
    pub kind: FieldKind,
    /// Position among the element fields on the wire; `None` for attributes.
    pub wire_index: Option<usize>,
    /// The base type that declared it, when inherited.
    pub inherited_from: Option<String>,
    /// The part it plays for the client and server code.
    pub role: Option<FieldRole>,
}

/// The part a field plays for the client and server code (`role="..."` in the schema).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldRole {
    /// A link's relationship.
    Rel,
    /// A link's target, or a representation's own address.
    Href,
    /// A link's target link type.
    LinkType,
    /// A link's display name.
    Name,
    /// A representation's links.
    Links,
    /// A task's state.
    State,
    /// A task's outcome.
    Result,
    /// An outcome's success flag.
    Success,
    /// An outcome's or error's message.
    Message,
    /// An error's status code.
    StatusCode,
    /// The items of a page (a list, or a structure of lists).
    Items,
    /// A page's position in the whole result.
    Paging,
    /// The number of pages in the whole result.
    PagesCount,
}

impl FieldRole {
    /// The role of a schema `role` value.
    pub fn parse(role: &str) -> Option<FieldRole> {
        Some(match role {
            "rel" => FieldRole::Rel,
            "href" => FieldRole::Href,
            "link-type" => FieldRole::LinkType,
            "name" => FieldRole::Name,
            "links" => FieldRole::Links,
            "state" => FieldRole::State,
            "result" => FieldRole::Result,
            "success" => FieldRole::Success,
            "message" => FieldRole::Message,
            "status-code" => FieldRole::StatusCode,
            "items" => FieldRole::Items,
            "paging" => FieldRole::Paging,
            "pages-count" => FieldRole::PagesCount,
            _ => return None,
        })
    }
}

/// Cardinality of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurs {
    /// Exactly once.
    Required,
    /// At most once.
    Optional,
    /// Any number of times, without a wrapper.
    Repeated,
}

/// What a field is on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// An attribute holding a simple value.
    Attribute { name: String, value: ValueType },
    /// An element holding a simple value.
    Value { element: String, value: ValueType },
    /// An element holding a structure.
    Child { element: String, ty: String },
    /// A list wrapper element; the Rust field holds the items.
    List {
        element: String,
        list: String,
        item: String,
        /// For a list of simple values, their type.
        item_value: Option<ValueType>,
        /// This use's own JSON form, when it differs from the list type's (`json-key` on the element).
        json: Option<JsonList>,
    },
    /// A presence-only element.
    Marker { element: String },
    /// The element's own text content (the type has attributes and text, no child elements).
    Text { value: ValueType },
    /// One of several elements: the Rust enum of the choice and its alternatives.
    Choice { choice: String, alternatives: Vec<Alternative> },
}

/// The JSON form of one use of a list, when it differs from the list type's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonList {
    /// Rust name of the marker type that carries it (`OwnerFieldJson`).
    pub marker: String,
    /// The JSON key of the wrapping object, or `None` for a bare array.
    pub key: Option<String>,
}

/// A simple value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// Text.
    String,
    /// `xs:boolean`.
    Boolean,
    /// `xs:int`.
    Int,
    /// `xs:long`.
    Long,
    /// `xs:unsignedShort`.
    UnsignedShort,
    /// `xs:dateTime`.
    DateTime,
    /// A GUID, kept as text.
    Guid,
    /// An `urn:veeam:...` identifier, kept as text.
    Uid,
    /// An absolute URL, kept as text.
    Url,
    /// `xs:byte`, `xs:short`, `xs:unsignedByte`, `xs:unsignedInt`, `xs:unsignedLong`: `i8`, `i16`, `u8`, `u32`,
    /// `u64`; `xs:integer` (unbounded in XSD) is held as `i64`.
    Byte,
    /// `xs:short`.
    Short,
    /// `xs:unsignedByte`.
    UnsignedByte,
    /// `xs:unsignedInt`.
    UnsignedInt,
    /// `xs:unsignedLong`.
    UnsignedLong,
    /// `xs:float` (compared by bits, so types holding it stay `Eq`).
    Float,
    /// `xs:double` (compared by bits).
    Double,
    /// `xs:decimal`, kept exactly as written.
    Decimal,
    /// `xs:date`.
    Date,
    /// `xs:time`, a time of day.
    Time,
    /// `xs:duration`.
    Duration,
    /// `xs:base64Binary`.
    Base64Binary,
    /// `xs:hexBinary`.
    HexBinary,
    /// An open enumeration (Rust type name).
    Enum(String),
    /// Several values of a simple type in one text, separated by whitespace (`xs:list`; the schema
    /// language spells it `list(int)`).
    List(Box<ValueType>),
}

impl ValueType {
    /// The built-in simple type of a schema type name.
    pub fn builtin(name: &str) -> Option<ValueType> {
        Some(match name {
            "string" => ValueType::String,
            "boolean" => ValueType::Boolean,
            "int" => ValueType::Int,
            "long" => ValueType::Long,
            "unsignedShort" => ValueType::UnsignedShort,
            "dateTime" => ValueType::DateTime,
            "guid" => ValueType::Guid,
            "uid" => ValueType::Uid,
            "url" => ValueType::Url,
            "byte" => ValueType::Byte,
            "short" => ValueType::Short,
            "integer" => ValueType::Long,
            "unsignedByte" => ValueType::UnsignedByte,
            "unsignedInt" => ValueType::UnsignedInt,
            "unsignedLong" => ValueType::UnsignedLong,
            "float" => ValueType::Float,
            "double" => ValueType::Double,
            "decimal" => ValueType::Decimal,
            "date" => ValueType::Date,
            "time" => ValueType::Time,
            "duration" => ValueType::Duration,
            "base64Binary" => ValueType::Base64Binary,
            "hexBinary" => ValueType::HexBinary,
            list => return list_item(list).and_then(ValueType::builtin).map(|v| ValueType::List(Box::new(v))),
        })
    }
}

/// The item type named by a value-list type `list(item)`.
pub fn list_item(name: &str) -> Option<&str> {
    name.strip_prefix("list(")?.strip_suffix(')').map(str::trim)
}

/// Names of the built-in types, for suggestions.
pub const BUILTIN_TYPES: &[&str] = &[
    "string",
    "boolean",
    "byte",
    "short",
    "int",
    "long",
    "integer",
    "unsignedByte",
    "unsignedShort",
    "unsignedInt",
    "unsignedLong",
    "float",
    "double",
    "decimal",
    "dateTime",
    "date",
    "time",
    "duration",
    "base64Binary",
    "hexBinary",
    "guid",
    "uid",
    "url",
    "marker",
];

/// A choice between elements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The alternatives in schema order.
    pub alternatives: Vec<Alternative>,
}

/// One alternative of a choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternative {
    /// Element name.
    pub element: String,
    /// Rust variant name.
    pub rust_name: String,
    /// JSON property name.
    pub json_name: String,
    /// Description.
    pub doc: Option<String>,
    /// What the element holds.
    pub content: AltContent,
}

/// What an alternative's element holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AltContent {
    /// A simple value.
    Value(ValueType),
    /// A structure.
    Struct(String),
    /// Nothing: presence is the information.
    Marker,
}

/// A list wrapper type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListType {
    /// Document root element name, when the list can be a whole document.
    pub root: Option<String>,
    /// Item element name used when writing.
    pub item_element: String,
    /// Other item element names accepted when reading.
    pub item_aliases: Vec<String>,
    /// Rust type of the items.
    pub item_type: String,
    /// For a list of simple values, their type (`item_type` is then unused).
    pub item_value: Option<ValueType>,
    /// JSON key of the wrapping object, or `None` for a bare array.
    pub json_key: Option<String>,
}

/// A URL template and what can be done there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// Schema name.
    pub name: String,
    /// Rust name (UpperCamelCase).
    pub rust_name: String,
    /// Description.
    pub doc: Option<String>,
    /// Display path of the schema file.
    pub source: String,
    /// The path template as written (`/vmReplicaPoints/{id}`).
    pub path: String,
    /// The template split into segments.
    pub segments: Vec<Segment>,
    /// Path parameters in template order.
    pub params: Vec<Param>,
    /// What `GET` returns, per representation.
    pub representations: Vec<Representation>,
    /// Other calls.
    pub methods: Vec<Method>,
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Literal text, slashes included.
    Literal(String),
    /// One path segment (index into `params`).
    Param(usize),
    /// The rest of the path, slashes allowed (index into `params`).
    Rest(usize),
}

/// A path parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Name in the template.
    pub name: String,
    /// Rust name.
    pub rust_name: String,
    /// Value type.
    pub value: ValueType,
    /// Description.
    pub doc: Option<String>,
}

/// A representation of a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Representation {
    /// Name (`reference`, `entity`).
    pub name: String,
    /// Rust type of the document.
    pub ty: String,
    /// Root element of the document.
    pub root: String,
    /// The fixed query that selects it.
    pub query: Option<(String, String)>,
    /// Link `Type` values naming it.
    pub link_types: Vec<String>,
    /// Links it carries.
    pub links: Vec<Link>,
    /// Authentication (`Session` or `None`).
    pub auth: Auth,
    /// Description.
    pub doc: Option<String>,
}

/// A link a representation carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// `Rel` value.
    pub rel: String,
    /// `Type` value, when EM sends one.
    pub link_type: Option<String>,
    /// What following it does.
    pub target: LinkTarget,
    /// Description.
    pub doc: Option<String>,
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A `GET` that returns this document type.
    Document { ty: String },
    /// A method (resource and method index).
    Method { resource: usize, method: usize },
}

/// An HTTP verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    /// The method name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Delete => "DELETE",
        }
    }
}

/// How a call authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// The session header.
    Session,
    /// HTTP Basic (logon).
    Basic,
    /// Nothing.
    None,
}

/// A body media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    Xml,
    Json,
}

/// A call on a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method {
    /// Schema name.
    pub name: String,
    /// Rust name.
    pub rust_name: String,
    /// Verb.
    pub verb: Verb,
    /// Success status.
    pub status: u16,
    /// Query parameters.
    pub query: Vec<QueryParam>,
    /// Request body.
    pub request: Option<Body>,
    /// Response body.
    pub response: Response,
    /// Whether it answers 202 with a task to poll.
    pub returns_task: bool,
    /// Authentication.
    pub auth: Auth,
    /// Headers of the answer the caller gets to see.
    pub response_headers: Vec<ResponseHeader>,
    /// Description.
    pub doc: Option<String>,
}

impl Method {
    /// The fixed query pairs, in schema order.
    pub fn fixed_query(&self) -> Vec<(&str, &str)> {
        self.query
            .iter()
            .filter_map(|q| match &q.kind {
                QueryKind::Fixed(v) => Some((q.name.as_str(), v.as_str())),
                QueryKind::Caller { .. } => None,
            })
            .collect()
    }

    /// The caller-supplied query parameters with their type and whether they are required.
    pub fn caller_query(&self) -> Vec<(&QueryParam, &ValueType, bool)> {
        self.query
            .iter()
            .filter_map(|q| match &q.kind {
                QueryKind::Caller { value, required } => Some((q, value, *required)),
                QueryKind::Fixed(_) => None,
            })
            .collect()
    }
}

/// A header of a method's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseHeader {
    /// Header name.
    pub name: String,
    /// Rust name.
    pub rust_name: String,
    /// Whether it carries the session token.
    pub session_token: bool,
    /// Description.
    pub doc: Option<String>,
}

/// A query parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryParam {
    /// Name on the wire.
    pub name: String,
    /// Rust name.
    pub rust_name: String,
    /// Fixed or supplied by the caller.
    pub kind: QueryKind,
    /// Description.
    pub doc: Option<String>,
}

/// Where a query value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryKind {
    /// Always this value.
    Fixed(String),
    /// Supplied by the caller.
    Caller { value: ValueType, required: bool },
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// Rust type of the document.
    pub ty: String,
    /// Accepted media types.
    pub media: Vec<Media>,
    /// Whether it must be sent.
    pub required: bool,
}

/// A response body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// No body.
    None,
    /// Raw bytes.
    Binary,
    /// A document of this Rust type.
    Document(String),
}
