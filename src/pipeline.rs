//! Running work over many documents: in parallel, with results delivered in input order,
//! a bounded number of documents in memory at once, and a progress bar on a terminal.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressStyle};

use crate::input::Input;

/// How many documents may be in flight per worker thread, read or decided but not yet
/// handed on: enough that a slow document does not leave the other threads idle, few enough
/// that memory stays bounded by a window of documents, not by the corpus.
const IN_FLIGHT_PER_THREAD: usize = 64;

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

/// When to draw a progress bar on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Never.
    Never,
    /// For a long run, when standard error is a terminal and standard output is not (so the
    /// bar and the output never share a screen).
    Auto,
    /// Whenever standard error is a terminal, however long the run; output to the same
    /// terminal is written with the bar lifted.
    Always,
}

/// What the workers and the caller's thread share.
struct Shared<T> {
    /// How many inputs workers have taken from the source.
    taken: usize,
    /// Whether the source has no more inputs.
    exhausted: bool,
    /// Results not yet handed on, by input index, with their inputs.
    done: std::collections::BTreeMap<usize, (Input, T)>,
    /// How many results were handed on.
    handed: usize,
    /// Whether the caller wants no more.
    stop: bool,
    /// Whether a worker panicked (a bug): the caller stops waiting, the panic is raised.
    failed: bool,
    /// Whether the caller waits for the result it hands on next.
    caller_waits: bool,
    /// How many workers wait for room in the window.
    workers_waiting: usize,
}

/// Runs `work` on every input `source` yields (with its position) on `threads` worker
/// threads and hands each result to `sink`, on the caller's thread, in input order. The
/// source is read only as fast as results are handed on, so a stream of any length is
/// held a window at a time. No thread waits for a batch to finish: a worker takes the next
/// input as soon as it is free, as long as fewer than `threads × 64` results wait to be
/// handed on; threads wake each other only when one is waiting (a wake-up is a system
/// call). `total`, when known, sizes the progress bar.
pub fn run_ordered<I, T, W, S>(
    source: I,
    total: Option<usize>,
    threads: usize,
    progress: Progress,
    work: W,
    mut sink: S,
) where
    I: Iterator<Item = Input> + Send,
    T: Send,
    W: Fn(usize, &Input) -> T + Sync + Send,
    S: FnMut(&Input, T) -> Flow,
{
    use std::sync::{Condvar, Mutex, PoisonError};
    let threads = threads.clamp(1, total.unwrap_or(usize::MAX).max(1));
    let window = threads * IN_FLIGHT_PER_THREAD;
    let bar = progress_bar(progress, total);
    // Output to a terminal that also shows the bar is written with the bar lifted.
    let lift = bar.is_some() && std::io::stdout().is_terminal();
    // Lock order: `source`, then `shared`; never the other way.
    let source = Mutex::new(source);
    let shared = Mutex::new(Shared {
        taken: 0,
        exhausted: false,
        done: std::collections::BTreeMap::new(),
        handed: 0,
        stop: false,
        failed: false,
        caller_waits: false,
        workers_waiting: 0,
    });
    // `ready`: a result the caller waits for is there, or the source ran dry; `room`: the
    // window has room.
    let (ready, room) = (Condvar::new(), Condvar::new());
    let lock = || shared.lock().unwrap_or_else(PoisonError::into_inner);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                // Should `work` panic, the caller must not wait for its result forever.
                struct Guard<'a, T>(&'a Mutex<Shared<T>>, &'a Condvar);
                impl<T> Drop for Guard<'_, T> {
                    fn drop(&mut self) {
                        if std::thread::panicking() {
                            self.0.lock().unwrap_or_else(PoisonError::into_inner).failed = true;
                            self.1.notify_all();
                        }
                    }
                }
                let _guard = Guard(&shared, &ready);
                loop {
                    let (index, input) = {
                        let mut source = source.lock().unwrap_or_else(PoisonError::into_inner);
                        let index = {
                            let mut state = lock();
                            while !state.stop && !state.exhausted && state.taken >= state.handed + window {
                                state.workers_waiting += 1;
                                state = room.wait(state).unwrap_or_else(PoisonError::into_inner);
                                state.workers_waiting -= 1;
                            }
                            if state.stop || state.exhausted {
                                return;
                            }
                            state.taken
                        };
                        // The source is read outside `shared`: a slow stream does not keep
                        // results from being handed on.
                        let Some(input) = source.next() else {
                            let mut state = lock();
                            state.exhausted = true;
                            ready.notify_one();
                            return;
                        };
                        lock().taken = index + 1;
                        (index, input)
                    };
                    let result = work(index, &input);
                    let mut state = lock();
                    state.done.insert(index, (input, result));
                    if state.caller_waits && index == state.handed {
                        ready.notify_one();
                    }
                }
            });
        }
        for index in 0.. {
            let found = {
                let mut state = lock();
                let found = loop {
                    if let Some(found) = state.done.remove(&index) {
                        state.handed = index + 1;
                        break Some(found);
                    }
                    if state.failed || state.exhausted && index >= state.taken {
                        state.stop = true;
                        break None;
                    }
                    state.caller_waits = true;
                    state = ready.wait(state).unwrap_or_else(PoisonError::into_inner);
                    state.caller_waits = false;
                };
                if state.workers_waiting > 0 {
                    room.notify_all();
                }
                found
            };
            let Some((input, result)) = found else {
                room.notify_all();
                break;
            };
            let flow = match &bar {
                Some(bar) => {
                    bar.inc(1);
                    if lift { bar.suspend(|| sink(&input, result)) } else { sink(&input, result) }
                }
                None => sink(&input, result),
            };
            if flow == Flow::Stop {
                lock().stop = true;
                room.notify_all();
                break;
            }
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
}

/// The progress bar `progress` asks for, if any.
fn progress_bar(progress: Progress, total: Option<usize>) -> Option<ProgressBar> {
    let stderr = std::io::stderr().is_terminal();
    let wanted = match progress {
        Progress::Never => false,
        Progress::Auto => stderr && !std::io::stdout().is_terminal() && total.is_none_or(|n| n >= PROGRESS_THRESHOLD),
        Progress::Always => stderr,
    };
    if !wanted {
        return None;
    }
    let (bar, template) = match total {
        Some(total) => (ProgressBar::new(total as u64), "{bar:40} {pos}/{len} documents  {elapsed_precise}"),
        None => (ProgressBar::new_spinner(), "{spinner} {pos} documents  {elapsed_precise}"),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    Some(bar)
}

/// The number of threads to use by default: what the machine offers.
#[must_use]
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}
