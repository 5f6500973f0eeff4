//! `cargo bench -p veeam-em-bench --bench json`: decode and encode one VmReplicaPoint and a 10,000-entry
//! list as JSON with serde_json, on the generated types and on plain serde derives of the same JSON
//! (`src/reference_json.rs`), in the same process, batches interleaved, and print the ratios. Times are
//! the thread's CPU time (medians of batches), which a busy shared machine disturbs far less than wall time.
//! For instruction counts, run one case under callgrind (1,000 calls; subtract the `setup` case):
//! `valgrind --tool=callgrind target/release/deps/json-HASH decode-one-generated`.

use std::hint::black_box;
use std::time::Duration;

use veeam_em::model::{VmReplicaPoint, VmReplicaPointList};
use veeam_em_bench::reference_json::{self, same_json};
use veeam_em_bench::{point_list, thread_cpu_time};

/// One batch: the time per call of `per_batch` calls, in CPU time of this thread (time spent descheduled
/// by other work on the machine is not counted).
fn batch(per_batch: usize, f: &mut impl FnMut()) -> Duration {
    let start = thread_cpu_time();
    for _ in 0..per_batch {
        f();
    }
    (thread_cpu_time() - start) / per_batch as u32
}

/// Median times of `runs` batches of `per_batch` calls of `generated` and of `reference`, alternating
/// (generated first on even runs, reference first on odd ones), so that both see the same machine.
fn interleaved(
    runs: usize,
    per_batch: usize,
    mut generated: impl FnMut(),
    mut reference: impl FnMut(),
) -> (Duration, Duration) {
    let (mut g, mut r) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for run in 0..runs {
        if run % 2 == 0 {
            g.push(batch(per_batch, &mut generated));
            r.push(batch(per_batch, &mut reference));
        } else {
            r.push(batch(per_batch, &mut reference));
            g.push(batch(per_batch, &mut generated));
        }
    }
    g.sort();
    r.sort();
    (g[runs / 2], r[runs / 2])
}

fn row(name: &str, (generated, reference): (Duration, Duration)) {
    let ratio = reference.as_secs_f64() / generated.as_secs_f64();
    let (unit, scale, digits) = if generated.as_millis() >= 1 { ("ms", 1e3, 1) } else { ("µs", 1e6, 2) };
    println!(
        "| {name} | {:.digits$} {unit} | {:.digits$} {unit} | {ratio:.2}x |",
        generated.as_secs_f64() * scale,
        reference.as_secs_f64() * scale
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a case name alone runs that case, for callgrind.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let one = serde_json::to_string(&point_list(1).items[0]).expect("generated encodes");
    let generated_one: VmReplicaPoint = serde_json::from_str(&one).expect("generated decodes");
    let reference_one = reference_json::decode_point(&one).expect("reference decodes");
    assert!(same_json(&generated_one, &reference_one), "both read the same entity");
    if let Some(case) = args.first() {
        // The one-entity cases run 1,000 times with only that input built: under callgrind, the difference
        // from `setup` divided by 1,000 is the instructions per call. The list cases run once each after
        // building the list (subtract `setup-list`).
        if case.ends_with("-list") || case.contains("-list-") {
            let json = serde_json::to_string(&point_list(10_000)).expect("encodes");
            let generated: VmReplicaPointList = serde_json::from_str(&json).expect("generated decodes");
            let reference = reference_json::decode_list(&json).expect("reference decodes");
            match case.as_str() {
                "setup-list" => {}
                "decode-list-generated" => drop(black_box(serde_json::from_str::<VmReplicaPointList>(&json))),
                "decode-list-reference" => drop(black_box(reference_json::decode_list(&json))),
                "encode-list-generated" => drop(black_box(serde_json::to_string(black_box(&generated)))),
                "encode-list-reference" => drop(black_box(reference_json::encode_list(black_box(&reference)))),
                other => panic!("unknown case {other}"),
            }
            return;
        }
        for _ in 0..1_000 {
            match case.as_str() {
                "setup" => {}
                "decode-one-generated" => drop(black_box(serde_json::from_str::<VmReplicaPoint>(black_box(&one)))),
                "decode-one-reference" => drop(black_box(reference_json::decode_point(black_box(&one)))),
                "encode-one-generated" => drop(black_box(serde_json::to_string(black_box(&generated_one)))),
                "encode-one-reference" => drop(black_box(reference_json::encode_point(black_box(&reference_one)))),
                other => panic!("unknown case {other}"),
            }
        }
        return;
    }

    let list = point_list(10_000);
    let json = serde_json::to_string(&list).expect("generated encodes the list");
    // Both sides must read the same values before anything is timed, and write the same text.
    let generated_list: VmReplicaPointList = serde_json::from_str(&json).expect("generated decodes the list");
    let reference_list = reference_json::decode_list(&json).expect("reference decodes the list");
    assert_eq!(generated_list.items.len(), 10_000);
    assert_eq!(reference_list.items.len(), 10_000);
    assert!(same_json(&generated_list, &reference_list), "both read the same list");
    assert_eq!(reference_json::encode_list(&reference_list).expect("reference encodes"), json);
    assert_eq!(reference_json::encode_point(&reference_one).expect("reference encodes"), one);

    println!("| case (serde_json) | generated | plain derive | ratio (higher: generated faster) |");
    println!("|---|---|---|---|");
    row(
        &format!("decode one entity ({} bytes)", one.len()),
        interleaved(
            31,
            2_000,
            || drop(black_box(serde_json::from_str::<VmReplicaPoint>(black_box(&one)))),
            || drop(black_box(reference_json::decode_point(black_box(&one)))),
        ),
    );
    row(
        &format!("decode 10,000 entries ({:.1} MB)", json.len() as f64 / 1e6),
        interleaved(
            15,
            1,
            || drop(black_box(serde_json::from_str::<VmReplicaPointList>(black_box(&json)))),
            || drop(black_box(reference_json::decode_list(black_box(&json)))),
        ),
    );
    row(
        "encode one entity",
        interleaved(
            31,
            2_000,
            || drop(black_box(serde_json::to_string(black_box(&generated_one)))),
            || drop(black_box(reference_json::encode_point(black_box(&reference_one)))),
        ),
    );
    row(
        "encode 10,000 entries",
        interleaved(
            15,
            1,
            || drop(black_box(serde_json::to_string(black_box(&generated_list)))),
            || drop(black_box(reference_json::encode_list(black_box(&reference_list)))),
        ),
    );
}
