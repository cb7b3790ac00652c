//! The `declass` command; everything happens in [`declass::run`].

// A faster allocator: parsing makes many small allocations (portions, marks, strings), and
// glibc's malloc spends a tenth of the run on them, more when threads free each other's memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    declass::run()
}
