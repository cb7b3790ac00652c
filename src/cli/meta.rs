//! Commands about declass itself: the embedded default policy, shell completions and the
//! manual page, each written to standard output.

use clap::CommandFactory as _;

use super::args::Cli;
use super::out::Output;
use super::{EXIT_ERROR, EXIT_OK};
use crate::policy::DEFAULT_POLICY_TEXT;

/// `declass policy show`.
pub fn policy_show() -> u8 {
    write_all(DEFAULT_POLICY_TEXT.as_bytes())
}

/// `declass completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "declass", &mut script);
    write_all(&script)
}

/// `declass man [COMMAND]`: the page of declass, or of one command (`declass-report(1)`).
pub fn man(command: Option<&str>) -> u8 {
    let mut cli = Cli::command();
    cli.build();
    let page_of = match command {
        None => cli,
        Some(name) => {
            let Some(sub) = cli.find_subcommand(name) else {
                eprintln!("error: no command `{name}`; `declass --help` lists them");
                return EXIT_ERROR;
            };
            sub.clone().version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut page = Vec::new();
    match clap_mangen::Man::new(page_of).render(&mut page) {
        Ok(()) => write_all(&page),
        Err(e) => {
            eprintln!("error: cannot render the manual page: {e}");
            EXIT_ERROR
        }
    }
}

fn write_all(bytes: &[u8]) -> u8 {
    let mut out = Output::new();
    let _ = out.write_bytes(bytes);
    if out.finish() { EXIT_OK } else { EXIT_ERROR }
}
