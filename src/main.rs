//! The `declass` command; everything happens in [`declass::cli::run`].

fn main() -> std::process::ExitCode {
    declass::cli::run()
}
