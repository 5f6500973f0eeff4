//! What the client and server code need to know about EM's documents, as traits the generated model
//! implements. The schema marks which fields play which part (`role="..."`), so the runtime can follow
//! links, wait for tasks and read error bodies without knowing any generated type by name.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::xml::XmlDocument;

/// A document the client can send or receive, in either wire format.
pub trait Document: XmlDocument + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The link `Type` values that name this document (`VmReplicaPoint`, `VmReplicaPointReference`, ...).
    /// Following a link with one of these types yields this document.
    const LINK_TYPES: &'static [&'static str];
}

/// One hypermedia link.
pub trait LinkView {
    /// The relationship or action (`Up`, `Down`, `Failover`, ...).
    fn rel(&self) -> &str;
    /// The absolute target address.
    fn href(&self) -> &str;
    /// The link type of the target, when EM sent one.
    fn link_type(&self) -> Option<&str>;
    /// The display name of the target, when EM sent one.
    fn name(&self) -> Option<&str>;
}

/// A representation that carries links and its own address.
pub trait HasLinks {
    /// The link type of the model.
    type Link: LinkView;
    /// The links, in document order.
    fn links(&self) -> &[Self::Link];
    /// The representation's own address, when present.
    fn href(&self) -> Option<&str>;
}

/// A task document: the handle EM returns for an asynchronous action.
pub trait TaskView: HasLinks {
    /// The state as sent (`Running`, `OperationFinished`, `Finished`), if present.
    fn state(&self) -> Option<&str>;
    /// The outcome's success flag, once there is an outcome.
    fn succeeded(&self) -> Option<bool>;
    /// The outcome's message, once there is an outcome.
    fn message(&self) -> Option<&str>;
}

/// An EM error body.
pub trait ErrorView {
    /// The human-readable message.
    fn message(&self) -> Option<&str>;
    /// The status code repeated in the body.
    fn status_code(&self) -> Option<i64>;
    /// An error body with just a message and a status code (what a server sends).
    fn from_parts(message: &str, status_code: u16) -> Self;
}
