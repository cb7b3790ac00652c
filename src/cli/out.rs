//! Standard output for results: buffered, a closed pipe a quiet stop, any other write error
//! an error of the run (exit status 2), never silence.

use std::io::{self, Write as _};

use crate::input;
use crate::pipeline::Flow;

/// Standard output that turns a closed pipe into a quiet stop rather than an error.
pub struct Output {
    out: io::BufWriter<io::Stdout>,
    closed: bool,
}

impl Output {
    /// Buffered standard output.
    #[must_use]
    pub fn new() -> Self {
        Self { out: io::BufWriter::with_capacity(1 << 16, io::stdout()), closed: false }
    }

    /// Writes `text`; returns [`Flow::Stop`] once the reader has gone away.
    pub fn write(&mut self, text: &str) -> Flow {
        if self.closed {
            return Flow::Stop;
        }
        match self.out.write_all(text.as_bytes()) {
            Ok(()) => Flow::Continue,
            Err(e) => {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    eprintln!("error: cannot write the output: {}", input::lower_first(&e.to_string()));
                }
                self.closed = true;
                Flow::Stop
            }
        }
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) {
        if !self.closed && self.out.flush().is_err() {
            self.closed = true;
        }
    }
}

impl Default for Output {
    fn default() -> Self {
        Self::new()
    }
}
