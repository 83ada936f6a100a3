//! The `evident` binary: a thin layer over the library (see `cli`).

mod cli;

// Loading builds many small values on two threads; mimalloc handles that pattern much better
// than the system allocator (about a fifth of a check's time was malloc/free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e`, the same in v2 and v3;
/// `libmimalloc-sys` names only some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory may stay with the allocator before it goes back to the system.
const PURGE_DELAY_MS: std::ffi::c_long = 25;

/// mimalloc v3 keeps freed pages for a second before returning them; a check frees most of
/// what parsing and ticket reading used well within that, so the pages counted in the peak
/// while the controls ran. With 25 ms a check of 10,000 documents peaks about 8 MB lower at
/// the same speed. Shorter delays return pages that are soon needed again (0 ms costs about
/// a tenth of the time; 10 ms was slower in two of three alternated comparisons and faster in
/// the third, within the host's noise), longer ones keep more (50 ms: 2 MB more).
/// `MIMALLOC_PURGE_DELAY` in the environment still decides when it is set.
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    #[expect(
        unsafe_code,
        reason = "mimalloc's options are set through its C interface"
    )]
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table. It is called
    // before the program starts any thread, so nothing reads the option concurrently.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
}

fn main() -> std::process::ExitCode {
    tune_allocator();
    cli::main()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        #[expect(
            unsafe_code,
            reason = "reads mimalloc's option through its C interface"
        )]
        // SAFETY: reads an integer from mimalloc's option table.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // Nothing sets it in tests, so it is mimalloc's default: 1,000 ms in v3, 10 in v2
        // (another option at this position would hold another value).
        let expected = std::env::var("MIMALLOC_PURGE_DELAY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        assert_eq!(delay, expected);
    }
}
