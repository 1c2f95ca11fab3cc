//! The reserved region: address space taken once, its pages filled on demand or ahead of use
//! by a helper thread, and given back to the kernel when a lease ends.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

/// Address space only: pages cost nothing until touched. 2 GiB is 40 times what 800
/// functions use; past it, allocations go to the system allocator.
const RESERVED_BYTES: usize = 2 << 30;

/// The helper asks for this much at a time, and checks between asks whether to stop.
const PREFAULT_STEP: usize = 1 << 20;

pub(crate) const PAGE: usize = 4096;

/// Where the region starts, for [`Region::holds`] on every free; 0 until it is reserved. One
/// value, so that no thread sees half of the region's bounds.
static START: AtomicUsize = AtomicUsize::new(0);

/// What the helper makes ready at most, whatever the input: the rest is filled on first use.
const MOST_PREFAULTED: usize = 256 << 20;

pub(crate) struct Region {
    start: usize,
    end: usize,
}

impl Region {
    /// The region, reserved on first use; `None` when the system would not reserve it.
    pub(crate) fn get() -> Option<&'static Region> {
        static REGION: OnceLock<Option<Region>> = OnceLock::new();
        REGION
            .get_or_init(|| {
                let start = os::reserve(RESERVED_BYTES)?;
                START.store(start, Ordering::Relaxed);
                Some(Region {
                    start,
                    end: start + RESERVED_BYTES,
                })
            })
            .as_ref()
    }

    /// Whether `pointer` was bumped out of the region.
    pub(crate) fn holds(pointer: *mut u8) -> bool {
        let start = START.load(Ordering::Relaxed);
        start != 0 && (pointer as usize).wrapping_sub(start) < RESERVED_BYTES
    }

    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }

    /// A helper thread that makes the region's bytes from `from` to `to` ready ahead of their
    /// first use, on another core when there is one: a fresh page's first touch cost about
    /// 5 µs here. `None` when there is nothing to do.
    pub(crate) fn prefault(&self, from: usize, to: usize) -> Option<Prefault> {
        let from = from - from % PAGE;
        let to = to.min(MOST_PREFAULTED);
        if !os::CAN_PREFAULT || to <= from {
            return None;
        }
        let start = self.start;
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("canary-prefault".into())
            .spawn(move || {
                let mut done = from;
                while done < to && !stopped.load(Ordering::Relaxed) {
                    let step = PREFAULT_STEP.min(to - done);
                    if !os::prefault(start + done, step) {
                        break;
                    }
                    done += step;
                }
                done
            })
            .ok()?;
        Some(Prefault { to, stop, thread })
    }

    /// Gives the first `used` bytes back to the kernel: the next lease finds them zeroed.
    pub(crate) fn release(&self, used: usize) {
        os::release(self.start, used.next_multiple_of(PAGE).min(RESERVED_BYTES));
    }
}

pub(crate) struct Prefault {
    /// Where in the region the helper is to stop: it stops short when asked to, or when the
    /// kernel cannot populate.
    pub(crate) to: usize,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<usize>,
}

impl Prefault {
    /// Tells the helper to stop after the step it is at.
    pub(crate) fn ask_to_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Waits for the helper to end (at `to`, unless asked to stop), and answers where in the
    /// region it got to.
    pub(crate) fn join(self) -> usize {
        self.thread.join().unwrap_or(0)
    }
}

#[cfg(target_os = "linux")]
mod os {
    pub(super) const CAN_PREFAULT: bool = true;

    /// `None` under strict overcommit (`vm.overcommit_memory = 2`), which ignores
    /// `MAP_NORESERVE` and would charge the whole reservation against what Node may commit.
    pub(super) fn reserve(bytes: usize) -> Option<usize> {
        let mode = std::fs::read_to_string("/proc/sys/vm/overcommit_memory").ok()?;
        if mode.trim() == "2" {
            return None;
        }
        // SAFETY: a new private anonymous mapping; nothing else is touched.
        let start = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        (start != libc::MAP_FAILED).then_some(start as usize)
    }

    /// Fills the pages' tables as a write would, without writing (Linux 5.14). `false` when
    /// the kernel cannot: then the pages are filled at their first touch, as malloc's are.
    pub(super) fn prefault(start: usize, bytes: usize) -> bool {
        // SAFETY: a range inside the region; populating changes no byte of it.
        unsafe { libc::madvise(start as *mut _, bytes, libc::MADV_POPULATE_WRITE) == 0 }
    }

    pub(super) fn release(start: usize, bytes: usize) {
        if bytes > 0 {
            // SAFETY: a range inside the region, which no live allocation uses any more.
            unsafe { libc::madvise(start as *mut _, bytes, libc::MADV_DONTNEED) };
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod os {
    pub(super) const CAN_PREFAULT: bool = false;

    pub(super) fn reserve(_bytes: usize) -> Option<usize> {
        None
    }

    pub(super) fn prefault(_start: usize, _bytes: usize) -> bool {
        false
    }

    pub(super) fn release(_start: usize, _bytes: usize) {}
}
