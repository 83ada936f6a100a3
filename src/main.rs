//! The `evident` binary: a thin layer over the library (see `cli`).

mod cli;

// Loading builds many small values on two threads; mimalloc handles that pattern much better
// than the system allocator (about a fifth of a check's time was malloc/free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
