//! Running work over many documents: in parallel, with results delivered in input order,
//! a bounded number of documents in memory at once, and a progress bar on a terminal.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::input::Input;

/// How many documents are in flight per worker thread: enough to keep threads busy, few
/// enough that memory stays bounded by a handful of documents, not by the corpus.
const IN_FLIGHT_PER_THREAD: usize = 8;

/// Below this many inputs no progress bar is drawn.
const PROGRESS_THRESHOLD: usize = 200;

/// Whether to stop early (after a closed output pipe, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next result.
    Continue,
    /// Stop: no more results are wanted.
    Stop,
}

/// Runs `work` on every input on `threads` threads and hands each result to `sink` in input
/// order. `progress` draws a bar on standard error when it is a terminal and the run is long.
///
/// # Panics
/// If the thread pool cannot be created (the operating system refuses threads).
pub fn run_ordered<T, W, S>(inputs: &[Input], threads: usize, progress: bool, work: W, mut sink: S)
where
    T: Send,
    W: Fn(&Input) -> T + Sync + Send,
    S: FnMut(&Input, T) -> Flow,
{
    let threads = threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("the operating system provides worker threads");
    let bar = (progress && inputs.len() >= PROGRESS_THRESHOLD && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(inputs.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} documents  {elapsed_precise}") {
            bar.set_style(style);
        }
        bar
    });
    for chunk in inputs.chunks(threads * IN_FLIGHT_PER_THREAD) {
        let results: Vec<T> = pool.install(|| chunk.par_iter().map(&work).collect());
        for (input, result) in chunk.iter().zip(results) {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            if sink(input, result) == Flow::Stop {
                if let Some(bar) = &bar {
                    bar.finish_and_clear();
                }
                return;
            }
        }
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
}

/// The number of threads to use by default: what the machine offers.
#[must_use]
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}
