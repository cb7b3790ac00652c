//! The `declass` command; everything happens in [`declass::run`].

// A faster allocator: parsing makes many small allocations (portions, marks, strings), and
// glibc's malloc spends a tenth of the run on them, more when threads free each other's memory.
// Built without its transparent huge pages (`no_thp` in Cargo.toml): the allocator hands a large
// document's memory back to the system after a while and the next one faults it in again, and
// 2 MiB pages made that kernel time erratic and several times larger (a third of the wall time
// for 10 MB documents), and doubled the peak memory of a run over ordinary cables.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    declass::run()
}
