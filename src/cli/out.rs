//! Standard output for results: buffered, a closed pipe a quiet stop, any other write error
//! an error of the run (exit status 2), never silence.

use std::io::{self, Write as _};

use crate::pipeline::Flow;

/// Standard output that turns a closed pipe into a quiet stop rather than an error, and any
/// other write error (a full disk: `> /dev/full`) into a failure of the run.
pub struct Output {
    out: io::BufWriter<io::Stdout>,
    /// No more output is wanted or possible.
    closed: bool,
    /// Writing failed for another reason than a closed pipe.
    failed: bool,
}

impl Output {
    /// Buffered standard output.
    #[must_use]
    pub fn new() -> Self {
        Self { out: io::BufWriter::with_capacity(1 << 16, io::stdout()), closed: false, failed: false }
    }

    /// Writes `text`; returns [`Flow::Stop`] once output is no longer possible.
    pub fn write(&mut self, text: &str) -> Flow {
        self.write_bytes(text.as_bytes())
    }

    /// Writes `bytes` as they are; returns [`Flow::Stop`] once output is no longer possible.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> Flow {
        if self.closed {
            return Flow::Stop;
        }
        match self.out.write_all(bytes) {
            Ok(()) => Flow::Continue,
            Err(e) => {
                self.fail(&e);
                Flow::Stop
            }
        }
    }

    /// Lets `write` write to the output (a line serialized as it goes, say); returns
    /// [`Flow::Stop`] once output is no longer possible.
    pub fn write_with(&mut self, write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> Flow {
        if self.closed {
            return Flow::Stop;
        }
        match write(&mut self.out) {
            Ok(()) => Flow::Continue,
            Err(e) => {
                self.fail(&e);
                Flow::Stop
            }
        }
    }

    fn fail(&mut self, e: &io::Error) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the output: {}", crate::model::lower_first(&e.to_string()));
            self.failed = true;
        }
        self.closed = true;
    }

    /// Flushes what is buffered; returns whether all output was written (or the reader
    /// closed the pipe, which is no error).
    #[must_use]
    pub fn finish(&mut self) -> bool {
        if !self.closed
            && let Err(e) = self.out.flush()
        {
            self.fail(&e);
        }
        !self.failed
    }
}

impl Default for Output {
    fn default() -> Self {
        Self::new()
    }
}
