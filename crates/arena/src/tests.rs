use std::collections::HashMap;
use std::sync::Mutex;

use super::region::PAGE;
use super::*;

#[global_allocator]
static ALLOCATOR: LeasedArena = LeasedArena;

/// One region per process: the tests that lease it take turns.
static TURN: Mutex<()> = Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn lease() -> (std::sync::MutexGuard<'static, ()>, Lease) {
    let turn = turn();
    let lease = Lease::take(1 << 20).expect("the region is free and reserved on Linux");
    (turn, lease)
}

/// The guard, for a test that uses nothing it allocates after the lease.
fn active(lease: &mut Lease) -> Active<'_> {
    // SAFETY: each test reads what it built before its lease is dropped.
    unsafe { lease.active() }
}

fn in_region<T: ?Sized>(value: &T) -> bool {
    Region::holds(value as *const T as *const u8 as *mut u8)
}

#[test]
fn only_the_leasing_thread_allocates_from_the_region_and_only_while_active() {
    let (_turn, mut lease) = lease();
    let before = Box::new(1_u64);
    let active = active(&mut lease);
    let inside = Box::new(2_u64);
    let elsewhere = std::thread::spawn(|| in_region(&*Box::new(3_u64)))
        .join()
        .unwrap();
    drop(active);
    let after = Box::new(4_u64);
    assert!(!in_region(&*before));
    assert!(in_region(&*inside));
    assert!(!elsewhere, "another thread allocated from the lease");
    assert!(!in_region(&*after));
    assert!(!lease.spilled());
}

#[test]
fn what_is_built_in_the_region_reads_back_whole_through_every_growth() {
    let (_turn, mut lease) = lease();
    let active = active(&mut lease);
    let mut names = Vec::new();
    let mut by_name = HashMap::new();
    let mut text = String::new();
    for i in 0..50_000 {
        let name = format!("Function{i}LambdaFunction");
        text.push_str(&name);
        by_name.insert(name.clone(), i);
        names.push(name);
    }
    drop(active);
    assert!(in_region(names.as_slice()) && in_region(text.as_str()));
    for (i, name) in names.iter().enumerate() {
        assert_eq!(by_name[name], i);
        assert_eq!(name, &format!("Function{i}LambdaFunction"));
    }
    assert_eq!(text.len(), names.iter().map(String::len).sum::<usize>());
}

#[test]
fn the_last_allocation_grows_where_it_is() {
    let (_turn, mut lease) = lease();
    let _active = active(&mut lease);
    let mut bytes: Vec<u8> = Vec::with_capacity(16);
    let first = bytes.as_ptr();
    bytes.extend(std::iter::repeat_n(7, 1 << 16));
    assert_eq!(bytes.as_ptr(), first);
    assert!(bytes.iter().all(|&b| b == 7));
}

#[test]
fn a_block_from_the_region_can_be_freed_on_another_thread() {
    let (_turn, mut lease) = lease();
    let active = active(&mut lease);
    let shared = vec![String::from("kept"); 1_000];
    drop(active);
    let freed = std::thread::spawn(move || {
        let total = shared.iter().map(String::len).sum::<usize>();
        drop(shared);
        total
    });
    assert_eq!(freed.join().unwrap(), 4_000);
}

#[test]
fn the_region_is_leased_once_at_a_time_and_reused_after() {
    let (_turn, mut lease) = lease();
    assert!(
        Lease::take(0).is_none(),
        "a second lease while the first is held"
    );
    let first = {
        let _active = active(&mut lease);
        Box::into_raw(Box::new(1_u8)) as usize
    };
    drop(lease);
    let mut again = Lease::take(0).expect("the region is free again");
    let _active = active(&mut again);
    assert_eq!(Box::into_raw(Box::new(1_u8)) as usize, first);
}

#[test]
fn the_pages_a_lease_used_read_as_zero_for_the_next() {
    let (_turn, mut lease) = lease();
    let written = {
        let _active = active(&mut lease);
        let bytes = vec![0xA5_u8; 1 << 16];
        let at = bytes.as_ptr() as usize;
        std::mem::forget(bytes);
        at
    };
    drop(lease);
    let mut again = Lease::take(0).unwrap();
    let _active = active(&mut again);
    let mut bytes: Vec<u8> = Vec::with_capacity(1 << 16);
    assert_eq!(bytes.as_ptr() as usize, written);
    // SAFETY: the capacity is there, and u8 has no invalid values.
    unsafe { bytes.set_len(1 << 16) };
    assert!(
        bytes.iter().all(|&b| b == 0),
        "the region was not given back"
    );
}

#[test]
fn every_allocation_is_aligned_as_asked() {
    let (_turn, mut lease) = lease();
    let _active = active(&mut lease);
    let _odd = Box::new(1_u8);
    for align in [1, 2, 8, 64, 4096] {
        let layout = Layout::from_size_align(3, align).unwrap();
        // SAFETY: a non-zero size; freed right after.
        let pointer = unsafe { std::alloc::alloc(layout) };
        assert!(Region::holds(pointer));
        assert_eq!(pointer as usize % align, 0, "align {align}");
        // SAFETY: allocated above with this layout.
        unsafe { std::alloc::dealloc(pointer, layout) };
    }
}

#[test]
fn growing_a_system_block_while_active_says_it_spilled() {
    let (_turn, mut lease) = lease();
    let mut before = vec![1_u8; 16];
    let _active = active(&mut lease);
    before.extend([2_u8; 4096]);
    assert!(!in_region(before.as_slice()));
    assert!(lease_spilled());
}

fn lease_spilled() -> bool {
    SPILLED.get()
}

#[test]
fn an_allocation_past_the_region_goes_to_the_system_and_says_so() {
    let (_turn, mut lease) = lease();
    let active = active(&mut lease);
    // The region's end, brought near so that the next allocation cannot fit.
    let (cursor, _) = BUMP.get();
    BUMP.set((cursor, cursor + 64));
    let small = Box::new([0_u8; 32]);
    let large = Box::new([0_u8; 128]);
    drop(active);
    assert!(in_region(&*small));
    assert!(!in_region(&*large));
    assert!(lease.spilled());
}

/// A panic's payload is allocated where the panicking thread allocates: in the region. The
/// lease must keep it readable for the thread that joins, so it is checked in a process of
/// its own, whose region then stays leased.
#[test]
fn a_panic_in_a_lease_keeps_its_payload_readable() {
    if std::env::var_os("ARENA_PANIC_CHILD").is_some() {
        let joined = std::thread::spawn(|| {
            let mut lease = Lease::take(0).unwrap();
            let _active = active(&mut lease);
            let function = String::from("Hello");
            panic!("deliberate panic planning {function}");
        })
        .join();
        let payload = joined.unwrap_err();
        assert_eq!(
            payload.downcast_ref::<String>().map(String::as_str),
            Some("deliberate panic planning Hello")
        );
        assert!(
            Lease::take(0).is_none(),
            "the region was released under the payload"
        );
        return;
    }
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "tests::a_panic_in_a_lease_keeps_its_payload_readable",
        ])
        .env("ARENA_PANIC_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success() && stdout.contains("1 passed"),
        "{stdout}"
    );
}

/// How many of the region's first `bytes` are in memory (`mincore`).
fn resident_pages(bytes: usize) -> usize {
    let start = Region::get().expect("reserved").start();
    let mut pages = vec![0_u8; bytes.div_ceil(PAGE)];
    // SAFETY: a range of the region, which is mapped whole; one byte per page out.
    let read = unsafe { libc::mincore(start as *mut _, bytes, pages.as_mut_ptr()) };
    assert_eq!(read, 0, "mincore");
    pages.iter().filter(|&&page| page & 1 == 1).count()
}

/// Waits while the helpers of a held lease make its first `bytes` ready: a minute is far more
/// than they need, on a busy machine too.
fn wait_until_resident(bytes: usize) {
    let waited = std::time::Instant::now();
    while resident_pages(bytes) < bytes / PAGE {
        assert!(waited.elapsed().as_secs() < 60, "the pages were made ready");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[test]
fn pages_prepared_ahead_of_a_lease_are_made_ready() {
    let _turn = turn();
    let bytes = 4 << 20;
    prepare(bytes);
    let helper = PREPARING.lock().unwrap().take().expect("a helper started");
    assert_eq!(helper.join(), bytes);
    assert_eq!(resident_pages(bytes), bytes / PAGE);
    Region::get().unwrap().release(bytes);
    assert_eq!(resident_pages(bytes), 0);
}

#[test]
fn the_lease_after_takes_the_prepared_pages_over_and_gives_them_back() {
    let _turn = turn();
    let bytes = 4 << 20;
    prepare(bytes);
    let lease = Lease::take(1 << 20).expect("the region is free");
    assert!(lease.prepared.is_some(), "the lease has the helper");
    assert!(lease.prefault.is_none(), "and starts none of its own");
    wait_until_resident(bytes);
    drop(lease);
    assert_eq!(resident_pages(bytes), 0, "given back when the lease ends");
    assert!(PREPARING.lock().unwrap().is_none());
}

#[test]
fn nothing_is_prepared_while_the_region_is_leased() {
    let (_turn, lease) = lease();
    prepare(1 << 20);
    assert!(PREPARING.lock().unwrap().is_none());
    drop(lease);
}

#[test]
fn a_lease_that_needs_more_than_was_prepared_makes_the_rest_ready_itself() {
    let _turn = turn();
    let (prepared, needed) = (2 << 20, 6 << 20);
    prepare(prepared);
    let lease = Lease::take(needed).expect("the region is free");
    assert_eq!(
        lease.prepared.as_ref().map(|helper| helper.to),
        Some(prepared)
    );
    assert_eq!(
        lease.prefault.as_ref().map(|helper| helper.to),
        Some(needed)
    );
    wait_until_resident(needed);
    drop(lease);
    assert_eq!(resident_pages(needed), 0, "given back when the lease ends");
}

#[test]
fn a_lease_that_ends_while_the_helper_works_gives_back_all_it_made_ready() {
    let _turn = turn();
    let bytes = 64 << 20;
    prepare(bytes);
    drop(Lease::take(0).expect("the region is free"));
    assert_eq!(
        resident_pages(bytes),
        0,
        "a page made ready after the release"
    );
}
