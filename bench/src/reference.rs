//! The reference model: the same `VmReplicaPoint` as plain serde derives read and written by quick-xml's
//! `serialize` feature, as a typical hand-written client would do it.

use serde::{Deserialize, Serialize};

/// A replica point.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "VmReplicaPoint")]
pub struct VmReplicaPoint {
    /// `xmlns`, written back on encode.
    #[serde(rename = "@xmlns", default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub xmlns: Option<String>,
    /// Own address.
    #[serde(rename = "@Href", default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Link type.
    #[serde(rename = "@Type", default, skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
    /// Display name.
    #[serde(rename = "@Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Unique id.
    #[serde(rename = "@UID", default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// VM display name.
    #[serde(rename = "@VmDisplayName", default, skip_serializing_if = "Option::is_none")]
    pub vm_display_name: Option<String>,
    /// Links.
    #[serde(rename = "Links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Creation time, as text.
    #[serde(rename = "CreationTimeUTC", default, skip_serializing_if = "Option::is_none")]
    pub creation_time_utc: Option<String>,
    /// Replica VM name.
    #[serde(rename = "VmName", default, skip_serializing_if = "Option::is_none")]
    pub vm_name: Option<String>,
    /// Algorithm, as text.
    #[serde(rename = "Algorithm", default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// Point type, as text.
    #[serde(rename = "PointType", default, skip_serializing_if = "Option::is_none")]
    pub point_type: Option<String>,
}

/// The `Links` wrapper.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    /// The links.
    #[serde(rename = "Link", default)]
    pub link: Vec<Link>,
}

/// One link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Relation.
    #[serde(rename = "@Rel")]
    pub rel: String,
    /// Target.
    #[serde(rename = "@Href")]
    pub href: String,
    /// Target name.
    #[serde(rename = "@Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Target link type.
    #[serde(rename = "@Type", default, skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
}

/// `<VmReplicaPoints>`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "VmReplicaPoints")]
pub struct VmReplicaPointList {
    /// `xmlns`, written back on encode.
    #[serde(rename = "@xmlns", default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub xmlns: Option<String>,
    /// The points.
    #[serde(rename = "VmReplicaPoint", default)]
    pub items: Vec<VmReplicaPoint>,
}

/// The EM namespace.
pub const NAMESPACE: &str = "http://www.veeam.com/ent/v1.0";

/// Decodes one point.
pub fn decode_point(xml: &str) -> Result<VmReplicaPoint, quick_xml_serde::DeError> {
    quick_xml_serde::de::from_str(xml)
}

/// Decodes a list.
pub fn decode_list(xml: &str) -> Result<VmReplicaPointList, quick_xml_serde::DeError> {
    quick_xml_serde::de::from_str(xml)
}

/// `<VmReplicaPoints>` for writing: borrows the items.
#[derive(Serialize)]
#[serde(rename = "VmReplicaPoints")]
struct ListOut<'a> {
    #[serde(rename = "@xmlns")]
    xmlns: &'a str,
    #[serde(rename = "VmReplicaPoint")]
    items: &'a [VmReplicaPoint],
}

/// Encodes one point with the EM namespace (`point.xmlns` should be set to [`NAMESPACE`] by the caller
/// to avoid a copy; this sets it on a copy when it is not).
pub fn encode_point(point: &VmReplicaPoint) -> Result<String, quick_xml_serde::SeError> {
    if point.xmlns.is_some() {
        return quick_xml_serde::se::to_string(point);
    }
    let point = VmReplicaPoint { xmlns: Some(NAMESPACE.to_owned()), ..point.clone() };
    quick_xml_serde::se::to_string(&point)
}

/// Encodes a list with the EM namespace.
pub fn encode_list(list: &VmReplicaPointList) -> Result<String, quick_xml_serde::SeError> {
    quick_xml_serde::se::to_string(&ListOut { xmlns: NAMESPACE, items: &list.items })
}
