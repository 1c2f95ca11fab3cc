//! The addon's global allocator. Inside a [`Lease`], the thread that holds it bumps its
//! allocations out of one reserved region, never frees them one by one, and the lease gives
//! the pages back at once; every other allocation goes to the system allocator.
//!
//! Why: planning 800 functions allocates about 50 MB in about a million pieces, and malloc,
//! free and the first touch of each fresh page were over half of the package hook's time in
//! the core (`CONTRIBUTING.md` › Speed). A bump costs a few instructions, freeing costs
//! nothing, and a helper thread asks the kernel for the pages ahead of their first use.
//!
//! The rules that keep it sound:
//! - Only the thread holding the lease bumps, so the cursor is thread-local.
//! - The region is reserved once and never unmapped: a pointer is the arena's exactly when it
//!   lies in it, on any thread, at any time, and freeing one is a no-op.
//! - Whatever outlives the lease must be allocated while no [`Active`] guard is alive: the
//!   lease gives back (and so zeroes) the pages it used when it ends.
//! - A lease that ends while its thread panics keeps the region, since the panic's payload
//!   may live there: later leases fall back to the system allocator.

mod region;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use region::Region;

/// The global allocator. Declare it in the binary or addon:
/// `#[global_allocator] static ALLOCATOR: LeasedArena = LeasedArena;`
pub struct LeasedArena;

thread_local! {
    /// The bump cursor and the region's end, while this thread's lease is active; 0 and 0
    /// otherwise.
    static BUMP: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    /// Whether the system allocator served this thread while its lease was active: the region
    /// ran out.
    static SPILLED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the one region is leased.
static LEASED: AtomicBool = AtomicBool::new(false);

/// The helper [`prepare`] started, until a lease takes it over.
static PREPARING: Mutex<Option<region::Prefault>> = Mutex::new(None);

fn bump(layout: Layout) -> Option<*mut u8> {
    let (cursor, end) = BUMP.get();
    if cursor == 0 {
        return None;
    }
    let start = cursor.checked_next_multiple_of(layout.align())?;
    let next = start.checked_add(layout.size())?;
    if next > end {
        SPILLED.set(true);
        return None;
    }
    BUMP.set((next, end));
    Some(start as *mut u8)
}

unsafe impl GlobalAlloc for LeasedArena {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match bump(layout) {
            Some(pointer) => pointer,
            // SAFETY: the caller's layout, passed on.
            None => unsafe { System.alloc(layout) },
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        if !Region::holds(pointer) {
            // SAFETY: not the region's, so the system allocator's.
            unsafe { System.dealloc(pointer, layout) }
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !Region::holds(pointer) {
            if BUMP.get().0 != 0 {
                SPILLED.set(true);
            }
            // SAFETY: the system allocator's block, with the caller's layout.
            return unsafe { System.realloc(pointer, layout, new_size) };
        }
        let (cursor, end) = BUMP.get();
        let address = pointer as usize;
        // The last allocation grows or shrinks where it is: a Vec being filled, a string being
        // written.
        if cursor != 0 && address + layout.size() == cursor && address + new_size <= end {
            BUMP.set((address + new_size, end));
            return pointer;
        }
        if new_size <= layout.size() {
            return pointer;
        }
        // SAFETY: a valid layout: the caller's alignment, and a size the caller vouches for.
        let moved =
            unsafe { self.alloc(Layout::from_size_align_unchecked(new_size, layout.align())) };
        if !moved.is_null() {
            // SAFETY: both blocks hold at least the old size and cannot overlap.
            unsafe { std::ptr::copy_nonoverlapping(pointer, moved, layout.size()) };
        }
        moved
    }
}

/// Starts making about `expected_bytes` of the region ready on a helper thread, for a lease
/// to come, while the caller does other work: a fresh page's first touch is most of the cost
/// of a small plan, and the caller's other work leaves a core free. Nothing when the region is
/// leased or a helper is already at it. The lease that comes next stops the helper when it
/// ends and gives back what it made ready.
pub fn prepare(expected_bytes: usize) {
    let Some(region) = Region::get() else {
        return;
    };
    // Read under the lock: a lease claims the region before it takes the helper, so one
    // that claimed it first is seen here, and one that claims it after finds the helper.
    let mut preparing = PREPARING.lock().unwrap_or_else(PoisonError::into_inner);
    if preparing.is_none() && !LEASED.load(Ordering::Acquire) {
        *preparing = region.prefault(0, expected_bytes);
    }
}

/// The region, held by one thread. Allocations on that thread while [`active`](Lease::active)
/// come from it. Neither the lease nor its guard may move to another thread: the cursor is
/// that thread's.
pub struct Lease {
    region: &'static Region,
    /// Where the next allocation goes while the lease is paused.
    cursor: usize,
    prefault: Option<region::Prefault>,
    /// What [`prepare`] started before the lease, if anything.
    prepared: Option<region::Prefault>,
    not_send: PhantomData<*const ()>,
}

impl Lease {
    /// The region for this thread, with about `expected_bytes` of it made ready by a helper
    /// thread; `None` when another call holds it, or no region could be reserved (then every
    /// allocation goes to the system allocator, as before).
    pub fn take(expected_bytes: usize) -> Option<Lease> {
        let region = Region::get()?;
        if LEASED
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return None;
        }
        SPILLED.set(false);
        let prepared = PREPARING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // A helper already at it covers the first pages; this lease's own, any after those.
        let ready = prepared.as_ref().map_or(0, |helper| helper.to);
        let prefault = region.prefault(ready, expected_bytes);
        Some(Lease {
            region,
            cursor: region.start(),
            prefault,
            prepared,
            not_send: PhantomData,
        })
    }

    /// Allocations on this thread come from the region until the guard is dropped.
    ///
    /// # Safety
    ///
    /// What is allocated while the guard lives must not be used once the lease is dropped:
    /// its pages are given back then. Copy out what must outlive it with the guard dropped.
    pub unsafe fn active(&mut self) -> Active<'_> {
        BUMP.set((self.cursor, self.region.end()));
        Active(self, PhantomData)
    }

    /// Whether an allocation went to the system allocator while the lease was active: then
    /// what was built in it must be dropped, not forgotten, for those blocks to be freed.
    pub fn spilled(&self) -> bool {
        SPILLED.get()
    }

    /// The bytes of the region used so far.
    fn used(&self) -> usize {
        self.cursor - self.region.start()
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // A guard that was forgotten leaves the cursor with the thread: take it back.
        let (cursor, _) = BUMP.replace((0, 0));
        if cursor != 0 {
            self.cursor = cursor;
        }
        let helpers = [self.prefault.take(), self.prepared.take()];
        // Both told at once, then waited for: no page is given back while one still works.
        for helper in helpers.iter().flatten() {
            helper.ask_to_stop();
        }
        let prefaulted = helpers
            .into_iter()
            .flatten()
            .map(region::Prefault::join)
            .max()
            .unwrap_or(0);
        if std::thread::panicking() {
            // A panic's payload may live in the region: it stays leased, unused.
            return;
        }
        self.region.release(self.used().max(prefaulted));
        LEASED.store(false, Ordering::Release);
    }
}

/// While alive, the lease's thread allocates from the region.
pub struct Active<'l>(&'l mut Lease, PhantomData<*const ()>);

impl Drop for Active<'_> {
    fn drop(&mut self) {
        self.0.cursor = BUMP.get().0;
        BUMP.set((0, 0));
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests;
