//! `cargo bench -p veeam-em-bench`: decode and encode one VmReplicaPoint and a 10,000-entry list with the
//! generated code and with the quick-xml + serde reference, in the same process, and print the ratios.
//! Ratios are what counts: absolute times on a shared machine are noise. For instruction counts, run one
//! case under callgrind (1,000 calls; subtract the `setup` case):
//! `valgrind --tool=callgrind target/release/deps/codec-HASH decode-one-generated`; for the list, one
//! decode of all 10,000 entries: `decode-list-generated` minus `setup-list`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use veeam_em::model::{VmReplicaPoint, VmReplicaPointList};
use veeam_em::XmlDocument;
use veeam_em_bench::{one_point_xml, point_list, reference, same_point};

/// Median time of `runs` batches of `per_batch` calls.
fn median(runs: usize, per_batch: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            start.elapsed() / per_batch as u32
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn row(name: &str, generated: Duration, reference: Duration) {
    let ratio = reference.as_secs_f64() / generated.as_secs_f64();
    println!(
        "| {name} | {:.1} µs | {:.1} µs | {ratio:.2}x |",
        generated.as_secs_f64() * 1e6,
        reference.as_secs_f64() * 1e6
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a case name alone runs that case once, for callgrind.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let one = one_point_xml();
    if let Some(case) = args.first().filter(|c| c.contains("-list-")) {
        // One decode of the 10,000-entry list: under callgrind, the difference from `setup-list` is the
        // instructions for the whole list.
        let list_xml = point_list(10_000).to_xml();
        match case.as_str() {
            "setup-list" => {}
            "decode-list-generated" => drop(black_box(VmReplicaPointList::from_xml(black_box(&list_xml)))),
            "decode-list-reference" => drop(black_box(reference::decode_list(black_box(&list_xml)))),
            other => panic!("unknown case {other}"),
        }
        return;
    }
    if let Some(case) = args.first() {
        // One case, 1,000 times, with only the single-entity input built: under callgrind, the
        // difference from the `setup` case divided by 1,000 is the instructions per call.
        let generated_one = VmReplicaPoint::from_xml(&one).expect("generated decodes");
        let mut reference_one = reference::decode_point(&one).expect("reference decodes");
        reference_one.xmlns = Some(reference::NAMESPACE.to_owned());
        for _ in 0..1_000 {
            match case.as_str() {
                "setup" => {}
                "decode-one-generated" => drop(black_box(VmReplicaPoint::from_xml(black_box(&one)))),
                "decode-one-reference" => drop(black_box(reference::decode_point(black_box(&one)))),
                "encode-one-generated" => drop(black_box(black_box(&generated_one).to_xml())),
                "encode-one-reference" => drop(black_box(reference::encode_point(black_box(&reference_one)))),
                other => panic!("unknown case {other}"),
            }
        }
        return;
    }
    let list = point_list(10_000);
    let list_xml = list.to_xml();

    // Both sides must read the same values before anything is timed.
    let generated_list = VmReplicaPointList::from_xml(&list_xml).expect("generated decodes the list");
    let reference_list = reference::decode_list(&list_xml).expect("reference decodes the list");
    assert!(generated_list.items.iter().zip(&reference_list.items).all(|(g, r)| same_point(g, r)));
    assert_eq!(generated_list.items.len(), reference_list.items.len());
    let generated_one = VmReplicaPoint::from_xml(&one).expect("generated decodes");
    let mut reference_one = reference::decode_point(&one).expect("reference decodes");
    assert!(same_point(&generated_one, &reference_one));
    reference_one.xmlns = Some(reference::NAMESPACE.to_owned());

    println!("| case | generated | quick-xml + serde | ratio (higher: generated faster) |");
    println!("|---|---|---|---|");
    let g = median(21, 2_000, || drop(black_box(VmReplicaPoint::from_xml(black_box(&one)))));
    let r = median(21, 2_000, || drop(black_box(reference::decode_point(black_box(&one)))));
    row("decode one entity", g, r);
    let g = median(5, 1, || drop(black_box(VmReplicaPointList::from_xml(black_box(&list_xml)))));
    let r = median(5, 1, || drop(black_box(reference::decode_list(black_box(&list_xml)))));
    row(&format!("decode 10,000 entries ({} MB)", list_xml.len() / 1_000_000), g, r);
    let g = median(21, 2_000, || drop(black_box(black_box(&generated_one).to_xml())));
    let r = median(21, 2_000, || drop(black_box(reference::encode_point(black_box(&reference_one)))));
    row("encode one entity", g, r);
    let g = median(5, 1, || drop(black_box(black_box(&generated_list).to_xml())));
    let r = median(5, 1, || drop(black_box(reference::encode_list(black_box(&reference_list)))));
    row("encode 10,000 entries", g, r);
    let g = median(5, 1, || drop(black_box(serde_json::to_string(black_box(&generated_list)))));
    let json = serde_json::to_string(&generated_list).expect("json");
    let g2 = median(5, 1, || drop(black_box(serde_json::from_str::<VmReplicaPointList>(black_box(&json)))));
    println!(
        "\nJSON (generated types through serde_json): encode list {:.1} ms, decode list {:.1} ms",
        g.as_secs_f64() * 1e3,
        g2.as_secs_f64() * 1e3
    );
}
