//! Typed bindings for the Veeam Backup Enterprise Manager (EM) REST API.
//!
//! The [`model`] module is generated from the resource schema in `schemas/` by `cargo xtask codegen`;
//! the hand-written support code the generated types call lives in the `veeam-em-runtime` crate and is
//! re-exported here as [`runtime`], so one `veeam-em` dependency is enough.
//!
//! ```
//! use veeam_em::model::Task;
//! use veeam_em::XmlDocument;
//!
//! let xml = r#"<Task xmlns="http://www.veeam.com/ent/v1.0" Type="Task" Href="https://em:9398/api/tasks/task-7">
//!   <TaskId>task-7</TaskId><State>Running</State>
//! </Task>"#;
//! let task = Task::from_xml(xml)?;
//! assert_eq!(task.task_id.as_deref(), Some("task-7"));
//! # Ok::<(), veeam_em::DecodeError>(())
//! ```

#![warn(missing_docs)]

#[rustfmt::skip] // prettyplease formats it; `cargo xtask codegen --check` keeps it current.
pub mod model;
#[rustfmt::skip]
pub mod client;
#[cfg(feature = "server")]
#[rustfmt::skip]
pub mod server;
pub use veeam_em_runtime as runtime;

pub use runtime::{DateTime, DecodeError, UnknownValue, XmlDocument};
