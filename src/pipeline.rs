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

/// What the workers and the caller's thread share.
struct Shared<T> {
    /// The next input a worker may take.
    next: usize,
    /// Results not yet handed on, by input index.
    done: std::collections::BTreeMap<usize, T>,
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

/// Runs `work` on every input (with its position) on `threads` worker threads and hands each
/// result to `sink`, on the caller's thread, in input order. No thread waits for a batch to finish: a worker
/// takes the next input as soon as it is free, as long as fewer than `threads × 64` results
/// wait to be handed on; threads wake each other only when one is waiting (a wake-up is a
/// system call). `progress` draws a bar on standard error when it is a terminal and the run
/// is long.
pub fn run_ordered<T, W, S>(inputs: &[Input], threads: usize, progress: bool, work: W, mut sink: S)
where
    T: Send,
    W: Fn(usize, &Input) -> T + Sync + Send,
    S: FnMut(&Input, T) -> Flow,
{
    use std::sync::{Condvar, Mutex, PoisonError};
    let threads = threads.clamp(1, inputs.len().max(1));
    let window = threads * IN_FLIGHT_PER_THREAD;
    let bar = (progress && inputs.len() >= PROGRESS_THRESHOLD && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(inputs.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} documents  {elapsed_precise}") {
            bar.set_style(style);
        }
        bar
    });
    let shared = Mutex::new(Shared {
        next: 0,
        done: std::collections::BTreeMap::new(),
        handed: 0,
        stop: false,
        failed: false,
        caller_waits: false,
        workers_waiting: 0,
    });
    // `ready`: a result the caller waits for is there; `room`: the window has room.
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
                    let index = {
                        let mut state = lock();
                        while !state.stop && state.next < inputs.len() && state.next >= state.handed + window {
                            state.workers_waiting += 1;
                            state = room.wait(state).unwrap_or_else(PoisonError::into_inner);
                            state.workers_waiting -= 1;
                        }
                        if state.stop || state.next >= inputs.len() {
                            return;
                        }
                        state.next += 1;
                        state.next - 1
                    };
                    let result = work(index, &inputs[index]);
                    let mut state = lock();
                    state.done.insert(index, result);
                    if state.caller_waits && index == state.handed {
                        ready.notify_one();
                    }
                }
            });
        }
        for (index, input) in inputs.iter().enumerate() {
            let result = {
                let mut state = lock();
                let result = loop {
                    if let Some(result) = state.done.remove(&index) {
                        state.handed = index + 1;
                        break Some(result);
                    }
                    if state.failed {
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
                result
            };
            let Some(result) = result else { break };
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            if sink(input, result) == Flow::Stop {
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

/// The number of threads to use by default: what the machine offers.
#[must_use]
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}
