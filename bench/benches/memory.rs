//! `cargo bench -p veeam-em-bench --bench memory`: peak heap and allocation counts while decoding the
//! 10,000-entry `VmReplicaPoints` list, generated decoder against the quick-xml + serde reference (and, for
//! comparison, both JSON decoders). A counting global allocator lives in this binary only, so the timing
//! benches are not affected. The input text is built before the counter is reset, so it is not counted;
//! the decoded value is (it is alive at the peak), and "retained" is what it still holds afterwards.
//! Allocation counts are deterministic: one run is enough.

use std::hint::black_box;

use veeam_em::model::VmReplicaPointList;
use veeam_em::XmlDocument;
use veeam_em_bench::{point_list, reference, reference_json, same_point, AllocStats, CountingAlloc};

#[global_allocator]
static ALLOCATOR: CountingAlloc = CountingAlloc::new();

/// Runs `decode` once with the counter reset just before; the result is dropped after the counts are read.
fn measure<T>(decode: impl FnOnce() -> T) -> (AllocStats, T) {
    let baseline = ALLOCATOR.reset();
    let value = black_box(decode());
    (ALLOCATOR.stats(baseline), value)
}

/// Bytes allocated but unused by the list's `Vec` and by each item's `Vec` of links (`links` gives its
/// length and capacity; every link type here is as large as the generated `Link`).
fn unused_capacity<T>(items: &Vec<T>, links: impl Fn(&T) -> Option<(usize, usize)>) -> usize {
    let link = std::mem::size_of::<veeam_em::model::Link>();
    let outer = (items.capacity() - items.len()) * std::mem::size_of::<T>();
    outer + items.iter().filter_map(links).map(|(len, cap)| (cap - len) * link).sum::<usize>()
}

fn mb(bytes: usize) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}

fn row(name: &str, generated: &AllocStats, reference: &AllocStats) {
    println!(
        "| {name} | {} | {} | {:.2}x | {} | {} | {} + {} | {} + {} |",
        mb(generated.peak),
        mb(reference.peak),
        reference.peak as f64 / generated.peak as f64,
        mb(generated.retained.max(0) as usize),
        mb(reference.retained.max(0) as usize),
        generated.allocations,
        generated.reallocations,
        reference.allocations,
        reference.reallocations,
    );
}

fn main() {
    let xml = point_list(10_000).to_xml();
    let json = serde_json::to_string(&point_list(10_000)).expect("generated encodes JSON");

    // Warm-up and the check that both read the same values (outside the measurements).
    {
        let generated = VmReplicaPointList::from_xml(&xml).expect("generated decodes");
        let reference = reference::decode_list(&xml).expect("reference decodes");
        assert_eq!(generated.items.len(), 10_000);
        assert_eq!(reference.items.len(), 10_000);
        assert!(generated.items.iter().zip(&reference.items).all(|(g, r)| same_point(g, r)));
    }

    let (xml_generated, value) = measure(|| VmReplicaPointList::from_xml(&xml).expect("generated decodes"));
    let generated_slack = unused_capacity(&value.items, |p| p.links.as_ref().map(|l| (l.len(), l.capacity())));
    drop(value);
    let (xml_reference, value) = measure(|| reference::decode_list(&xml).expect("reference decodes"));
    let reference_slack =
        unused_capacity(&value.items, |p| p.links.as_ref().map(|l| (l.link.len(), l.link.capacity())));
    drop(value);
    let (json_generated, value) =
        measure(|| serde_json::from_str::<VmReplicaPointList>(&json).expect("generated decodes JSON"));
    drop(value);
    let (json_reference, value) = measure(|| reference_json::decode_list(&json).expect("reference decodes JSON"));
    drop(value);

    println!(
        "| decode 10,000 entries | generated peak | reference peak | ratio (reference / generated; higher: \
         generated leaner) | generated retained | reference retained | generated allocs + reallocs | reference \
         allocs + reallocs |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    row(&format!("XML ({}), vs quick-xml + serde", mb(xml.len())), &xml_generated, &xml_reference);
    row(&format!("JSON ({}), vs plain derive", mb(json.len())), &json_generated, &json_reference);
    println!(
        "\nTransient (peak - retained): XML generated {} bytes, reference {} bytes; JSON generated {} bytes, \
         reference {} bytes. Item sizes: generated `VmReplicaPoint` {} bytes, quick-xml reference {} bytes, \
         JSON reference {} bytes.",
        xml_generated.peak as isize - xml_generated.retained,
        xml_reference.peak as isize - xml_reference.retained,
        json_generated.peak as isize - json_generated.retained,
        json_reference.peak as isize - json_reference.retained,
        std::mem::size_of::<veeam_em::model::VmReplicaPoint>(),
        std::mem::size_of::<reference::VmReplicaPoint>(),
        std::mem::size_of::<reference_json::VmReplicaPoint>(),
    );
    println!(
        "Unused `Vec` capacity in the decoded XML lists (items, and each item's links): generated {}, \
         reference {}.",
        mb(generated_slack),
        mb(reference_slack)
    );
}
