//! The JSON reference: the same `VmReplicaPoint` and `VmReplicaPoints` JSON that the generated types read
//! and write, as plain serde derives with no custom code, the way most Rust users would write it.
//!
//! Times and enumerations are plain `String`s (no parsing, and every value is kept, as the generated open
//! enumerations keep unknown values). Absent values are written as `null`, as EM and the generated types
//! write them, so both sides produce the same text.

use serde::{Deserialize, Serialize};

/// A replica point, in the generated type's field order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmReplicaPoint {
    /// Creation time, as text.
    #[serde(rename = "CreationTimeUTC")]
    pub creation_time_utc: Option<String>,
    /// Replica VM name.
    #[serde(rename = "VmName")]
    pub vm_name: Option<String>,
    /// Algorithm, as text.
    #[serde(rename = "Algorithm")]
    pub algorithm: Option<String>,
    /// Point type, as text.
    #[serde(rename = "PointType")]
    pub point_type: Option<String>,
    /// VM display name.
    #[serde(rename = "VmDisplayName")]
    pub vm_display_name: Option<String>,
    /// Display name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// Unique id.
    #[serde(rename = "UID")]
    pub uid: Option<String>,
    /// Links: a bare array in EM's JSON.
    #[serde(rename = "Links", default)]
    pub links: Option<Vec<Link>>,
    /// Own address.
    #[serde(rename = "Href")]
    pub href: Option<String>,
    /// Link type.
    #[serde(rename = "Type")]
    pub link_type: Option<String>,
}

/// One link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Relation.
    #[serde(rename = "Rel")]
    pub rel: String,
    /// Target.
    #[serde(rename = "Href")]
    pub href: String,
    /// Target name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// Target link type.
    #[serde(rename = "Type")]
    pub link_type: Option<String>,
}

/// `{"VmReplicaPoints": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmReplicaPointList {
    /// The points.
    #[serde(rename = "VmReplicaPoints", default)]
    pub items: Vec<VmReplicaPoint>,
}

/// Decodes one point.
pub fn decode_point(json: &str) -> serde_json::Result<VmReplicaPoint> {
    serde_json::from_str(json)
}

/// Decodes a list.
pub fn decode_list(json: &str) -> serde_json::Result<VmReplicaPointList> {
    serde_json::from_str(json)
}

/// Encodes one point.
pub fn encode_point(point: &VmReplicaPoint) -> serde_json::Result<String> {
    serde_json::to_string(point)
}

/// Encodes a list.
pub fn encode_list(list: &VmReplicaPointList) -> serde_json::Result<String> {
    serde_json::to_string(list)
}

/// Whether two serializable values write the same JSON, compared as [`serde_json::Value`] (object key
/// order does not matter, `null` and absent do).
pub fn same_json<A: Serialize, B: Serialize>(a: &A, b: &B) -> bool {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
