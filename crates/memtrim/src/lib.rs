//! Returning freed heap memory to the operating system after one-off start-up work.
//!
//! glibc keeps memory freed by a thread in that thread's arena for reuse; after the demo seed or
//! a start-up re-projection (thousands of short-lived allocations on several threads) an idle
//! server would otherwise hold some 20 MiB it no longer uses. `malloc_trim(0)` releases the free
//! pages of every arena. It is the only `unsafe` in the workspace, kept in its own crate so the
//! others can forbid `unsafe` outright.

/// Releases free heap pages to the system; returns whether any memory was released. A no-op
/// (returning `false`) where the C library is not glibc.
pub fn release_free_memory() -> bool {
    imp::release()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod imp {
    #[allow(unsafe_code)]
    pub fn release() -> bool {
        // SAFETY: `malloc_trim` takes no pointers and only walks the allocator's own arenas
        // under their locks; glibc documents it as safe to call from any thread at any time.
        unsafe { libc::malloc_trim(0) == 1 }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod imp {
    pub fn release() -> bool {
        false
    }
}
