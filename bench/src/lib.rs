//! Inputs and a reference model for the codec benchmarks (`cargo bench -p veeam-em-bench`).
//!
//! The reference decodes the same `VmReplicaPoint` documents with quick-xml's serde support and plain
//! derives, the way most Rust users would write it. [`same_point`] checks that both sides read the same
//! values before anything is timed.

pub mod reference;
pub mod reference_json;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// CPU time used so far by the calling thread (Linux: `CLOCK_THREAD_CPUTIME_ID`), for timing CPU-bound
/// batches on a shared machine: time the thread spends descheduled is not counted. Elsewhere, the
/// wall-clock time since the first call.
pub fn thread_cpu_time() -> std::time::Duration {
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    {
        #[repr(C)]
        struct Timespec {
            tv_sec: i64,
            tv_nsec: i64,
        }
        extern "C" {
            fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
        }
        const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
        let mut time = Timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `time` is a valid, writable `struct timespec` (two `long`s on 64-bit Linux).
        if unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) } == 0 {
            return std::time::Duration::new(time.tv_sec as u64, time.tv_nsec as u32);
        }
    }
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// A global allocator that counts, for the peak-memory bench (`benches/memory.rs`): live bytes, their peak
/// since the last [`reset`](CountingAlloc::reset), and the number of allocations and reallocations.
/// Register it with `#[global_allocator] static A: CountingAlloc = CountingAlloc::new();`.
pub struct CountingAlloc {
    live: AtomicUsize,
    peak: AtomicUsize,
    allocations: AtomicUsize,
    reallocations: AtomicUsize,
}

/// What happened between [`CountingAlloc::reset`] and [`CountingAlloc::stats`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocStats {
    /// Highest live bytes above the live bytes at the reset.
    pub peak: usize,
    /// Live bytes now, above the live bytes at the reset (what the result still holds).
    pub retained: isize,
    /// Calls of `alloc` and `alloc_zeroed`.
    pub allocations: usize,
    /// Calls of `realloc`.
    pub reallocations: usize,
}

impl CountingAlloc {
    /// A counter with nothing counted.
    pub const fn new() -> Self {
        CountingAlloc {
            live: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            allocations: AtomicUsize::new(0),
            reallocations: AtomicUsize::new(0),
        }
    }

    /// Starts a measurement: the peak becomes the current live bytes and the counts zero. Returns the live
    /// bytes now, the baseline to pass to [`stats`](Self::stats).
    pub fn reset(&self) -> usize {
        let live = self.live.load(Ordering::SeqCst);
        self.peak.store(live, Ordering::SeqCst);
        self.allocations.store(0, Ordering::SeqCst);
        self.reallocations.store(0, Ordering::SeqCst);
        live
    }

    /// The counts since the [`reset`](Self::reset) that returned `baseline`.
    pub fn stats(&self, baseline: usize) -> AllocStats {
        AllocStats {
            peak: self.peak.load(Ordering::SeqCst).saturating_sub(baseline),
            retained: self.live.load(Ordering::SeqCst) as isize - baseline as isize,
            allocations: self.allocations.load(Ordering::SeqCst),
            reallocations: self.reallocations.load(Ordering::SeqCst),
        }
    }

    fn grow(&self, bytes: usize) {
        let live = self.live.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(live, Ordering::Relaxed);
    }

    fn shrink(&self, bytes: usize) {
        self.live.fetch_sub(bytes, Ordering::Relaxed);
    }
}

impl Default for CountingAlloc {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            self.allocations.fetch_add(1, Ordering::Relaxed);
            self.grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            self.allocations.fetch_add(1, Ordering::Relaxed);
            self.grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) };
        self.shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is passed on.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            self.reallocations.fetch_add(1, Ordering::Relaxed);
            if new_size > layout.size() {
                // Counted as the new block arriving before the old one leaves: a moving realloc holds both.
                self.grow(new_size);
                self.shrink(layout.size());
            } else {
                self.shrink(layout.size() - new_size);
            }
        }
        new
    }
}

/// The test binary counts its allocations, so the tests can check the counter on real allocations.
#[cfg(test)]
#[global_allocator]
static TEST_ALLOCATOR: CountingAlloc = CountingAlloc::new();

#[cfg(test)]
mod tests {
    use std::hint::black_box;

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
    #[test]
    fn both_json_decoders_read_the_same_values() {
        let list = point_list(200);
        let json = serde_json::to_string(&list).expect("generated encodes");
        let generated: VmReplicaPointList = serde_json::from_str(&json).expect("generated decodes");
        let reference = reference_json::decode_list(&json).expect("reference decodes");
        assert_eq!(generated.items.len(), 200);
        assert_eq!(reference.items.len(), 200);
        assert!(reference_json::same_json(&generated, &reference));
        assert_eq!(generated, list, "the generated JSON round trip is exact");
        // Same text both ways, and one entity alone.
        assert_eq!(reference_json::encode_list(&reference).expect("reference encodes"), json);
        let one = serde_json::to_string(&list.items[0]).expect("encodes one");
        let g: VmReplicaPoint = serde_json::from_str(&one).expect("generated decodes one");
        let r = reference_json::decode_point(&one).expect("reference decodes one");
        assert!(reference_json::same_json(&g, &r));
        assert_eq!(reference_json::encode_point(&r).expect("reference encodes one"), one);
        // A difference is seen.
        let mut other = r.clone();
        other.algorithm = Some("Other".to_owned());
        assert!(!reference_json::same_json(&g, &other));
    }

    #[test]
    fn thread_cpu_time_advances_with_work_only() {
        let start = thread_cpu_time();
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        let busy = thread_cpu_time() - start;
        assert!(busy > std::time::Duration::from_millis(1), "{busy:?} {x}");
        let before = thread_cpu_time();
        std::thread::sleep(std::time::Duration::from_millis(200));
        let asleep = thread_cpu_time() - before;
        assert!(asleep < std::time::Duration::from_millis(100), "sleeping is not counted: {asleep:?}");
    }

    #[test]
    fn the_allocation_counter_counts() {
        // Directly, on a private counter: exact numbers.
        let counter = CountingAlloc::new();
        let baseline = counter.reset();
        let small = Layout::from_size_align(100, 8).expect("layout");
        // SAFETY: the layouts are non-zero and every block is freed with the layout it has.
        unsafe {
            let a = counter.alloc(small);
            let b = counter.alloc_zeroed(small);
            assert_eq!(counter.stats(baseline).peak, 200);
            counter.dealloc(a, small);
            let b = counter.realloc(b, small, 1_000);
            let stats = counter.stats(baseline);
            assert_eq!((stats.peak, stats.retained, stats.allocations, stats.reallocations), (1_100, 1_000, 2, 1));
            // Shrinking never counts both blocks.
            let b = counter.realloc(b, Layout::from_size_align(1_000, 8).expect("layout"), 10);
            assert_eq!((counter.stats(baseline).peak, counter.stats(baseline).retained), (1_100, 10));
            counter.dealloc(b, Layout::from_size_align(10, 8).expect("layout"));
        }
        assert_eq!(counter.stats(baseline).retained, 0);
        let again = counter.reset();
        assert_eq!((again, counter.stats(again).peak, counter.stats(again).allocations), (0, 0, 0));

        // As this test binary's global allocator. Other tests run at the same time and can only add.
        let baseline = TEST_ALLOCATOR.reset();
        let block = black_box(vec![7u8; 1 << 20]);
        drop(block);
        let stats = TEST_ALLOCATOR.stats(baseline);
        assert!(stats.peak >= 1 << 20, "{stats:?}");
        assert!(stats.allocations >= 1, "{stats:?}");
    }
}
