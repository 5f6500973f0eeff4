//! Inputs and a reference model for the codec benchmarks (`cargo bench -p veeam-em-bench`).
//!
//! The reference decodes the same `VmReplicaPoint` documents with quick-xml's serde support and plain
//! derives, the way most Rust users would write it. [`same_point`] checks that both sides read the same
//! values before anything is timed.

pub mod reference;

use veeam_em::model::{Algorithm, Link, ReplicaPointType, VmReplicaPoint, VmReplicaPointList};
use veeam_em::runtime::DateTime;
use veeam_em::XmlDocument;

/// One replica point as EM sends it (attribute order and links as in the docs' newer example).
pub fn one_point_xml() -> String {
    point_list(1).items.remove(0).to_xml()
}

/// A deterministic list of `n` points with varied names, GUIDs, times, enum values from their real sets
/// (and some unknown ones) and characters that need escaping.
pub fn point_list(n: usize) -> VmReplicaPointList {
    let algorithms = ["Full", "ReversedIncremental", "Incremental", "SyntheticFull", "FutureAlgorithm"];
    let kinds = ["Full", "ReverseIncrement", "Increment", "Snapshot", "Checkpoint"];
    let vms = ["sql02", "apache_replica", "file & print", "exchange<01>", "dc \"main\""];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        // xorshift: deterministic, good enough to vary the data.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let items = (0..n)
        .map(|i| {
            let r = next();
            let guid = format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                r as u32,
                (r >> 32) as u16,
                (r >> 48) as u16,
                i as u16,
                next() & 0xffff_ffff_ffff
            );
            let vm = vms[i % vms.len()];
            let secs = 1_700_000_000 + (r % 50_000_000) as i64;
            let time = time_text(secs, (r % 1000) as u32);
            let name = format!("{vm}@{}", time.replace('T', " ").trim_end_matches('Z'));
            let base = "https://em.example:9398/api";
            let link = |rel: &str, ty: Option<&str>, href: String, name: Option<&str>| Link {
                rel: rel.to_owned(),
                href,
                name: name.map(str::to_owned),
                link_type: ty.map(str::to_owned),
            };
            VmReplicaPoint {
                creation_time_utc: Some(time.parse::<DateTime>().expect("valid time")),
                vm_name: (i % 3 != 0).then(|| vm.to_owned()),
                algorithm: Some(Algorithm::from(algorithms[(r >> 8) as usize % algorithms.len()])),
                point_type: Some(ReplicaPointType::from(kinds[(r >> 16) as usize % kinds.len()])),
                vm_display_name: Some(vm.to_owned()),
                name: Some(name.clone()),
                uid: Some(format!("urn:veeam:VmReplicaPoint:{guid}")),
                links: Some(vec![
                    link("Failover", None, format!("{base}/vmReplicaPoints/{guid}?action=failover"), None),
                    link("Up", Some("BackupServerReference"), format!("{base}/backupServers/{guid}"), Some("srv02")),
                    link("Up", Some("ReplicaReference"), format!("{base}/replicas/{guid}"), Some("SQL & Co")),
                    link(
                        "Alternate",
                        Some("VmReplicaPointReference"),
                        format!("{base}/vmReplicaPoints/{guid}"),
                        Some(&name),
                    ),
                    link(
                        "Down",
                        Some("VmReplicaPointMountList"),
                        format!("{base}/vmReplicaPoints/{guid}/mounts"),
                        None,
                    ),
                ]),
                href: Some(format!("{base}/vmReplicaPoints/{guid}?format=Entity")),
                link_type: Some("VmReplicaPoint".to_owned()),
            }
        })
        .collect();
    VmReplicaPointList { items }
}

/// `xs:dateTime` text for seconds since the epoch, with milliseconds.
fn time_text(secs: i64, millis: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

/// Whether the reference read the same values as the generated decoder.
pub fn same_point(generated: &VmReplicaPoint, reference: &reference::VmReplicaPoint) -> bool {
    let links: Vec<(String, String, Option<String>, Option<String>)> = generated
        .links
        .iter()
        .flatten()
        .map(|l| (l.rel.clone(), l.href.clone(), l.name.clone(), l.link_type.clone()))
        .collect();
    let reference_links: Vec<(String, String, Option<String>, Option<String>)> = reference
        .links
        .iter()
        .flat_map(|l| &l.link)
        .map(|l| (l.rel.clone(), l.href.clone(), l.name.clone(), l.link_type.clone()))
        .collect();
    generated.href == reference.href
        && generated.link_type == reference.link_type
        && generated.name == reference.name
        && generated.uid == reference.uid
        && generated.vm_display_name == reference.vm_display_name
        && generated.creation_time_utc.as_ref().map(|t| t.to_string()) == reference.creation_time_utc
        && generated.vm_name == reference.vm_name
        && generated.algorithm.as_ref().map(|a| a.as_str().to_owned()) == reference.algorithm
        && generated.point_type.as_ref().map(|a| a.as_str().to_owned()) == reference.point_type
        && links == reference_links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_decoders_read_the_same_values() {
        let list = point_list(200);
        let xml = list.to_xml();
        let generated = VmReplicaPointList::from_xml(&xml).expect("generated decodes");
        let reference = reference::decode_list(&xml).expect("reference decodes");
        assert_eq!(generated.items.len(), reference.items.len());
        for (g, r) in generated.items.iter().zip(&reference.items) {
            assert!(same_point(g, r), "{g:?}\n{r:?}");
        }
        let one = one_point_xml();
        let g = VmReplicaPoint::from_xml(&one).expect("generated decodes one");
        let r = reference::decode_point(&one).expect("reference decodes one");
        assert!(same_point(&g, &r));
        // The reference's encoding reads back the same.
        let again = reference::encode_point(&r).expect("reference encodes");
        assert!(same_point(&VmReplicaPoint::from_xml(&again).expect("decodes"), &r), "{again}");
    }

    #[test]
    fn the_data_varies_and_escapes() {
        let xml = point_list(10).to_xml();
        assert!(xml.contains("&amp;") && xml.contains("&lt;") && xml.contains("&quot;"), "{xml}");
        assert!(xml.contains("FutureAlgorithm") || xml.contains("Checkpoint"), "unknown enum values appear");
    }
}
