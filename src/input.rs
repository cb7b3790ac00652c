//! Inputs: expanding command-line paths into documents to read, and reading them.
//!
//! Directories are walked recursively in sorted order (hidden entries skipped) so that
//! output order never depends on the file system; `-` reads standard input.

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    /// The name shown in messages and reports: the path as given, or `<stdin>`.
    #[must_use]
    pub fn display_name(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Stdin => "<stdin>".to_owned(),
        }
    }

    /// Reads the whole input.
    ///
    /// # Errors
    /// The I/O error, if the input cannot be read.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Self::File(path) => std::fs::read(path),
            Self::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin().lock().read_to_end(&mut bytes)?;
                Ok(bytes)
            }
        }
    }
}

/// A path given on the command line that could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The path as given.
    pub path: String,
    /// What went wrong, lower case.
    pub message: String,
}

/// Expands paths into inputs: files as given, directories walked, `-` as standard input.
/// Problems (missing paths, unreadable directories) are returned alongside, so that the run
/// can go on with the rest.
#[must_use]
pub fn expand(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, &mut errors);
            inputs.extend(found.into_iter().map(Input::File));
        } else if path.exists() {
            inputs.push(Input::File(path.clone()));
        } else {
            errors
                .push(InputError { path: path.display().to_string(), message: "no such file or directory".to_owned() });
        }
    }
    (inputs, errors)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(InputError { path: dir.display().to_string(), message: lower_first(&e.to_string()) });
            return;
        }
    };
    // Each directory's entries sorted by name and walked in that order: the order of the
    // sorted paths, at the price of sorting names rather than whole paths.
    let mut entries: Vec<std::fs::DirEntry> =
        entries.flatten().filter(|e| !e.file_name().as_encoded_bytes().starts_with(b".")).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, found, errors),
            Ok(t) if t.is_file() || t.is_symlink() && path.is_file() => found.push(path),
            _ => {}
        }
    }
}

/// An OS error message in the project's style (lower-case first letter, no os error code).
#[must_use]
pub fn lower_first(message: &str) -> String {
    let message = message.split(" (os error").next().unwrap_or(message);
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_paths_are_reported_and_the_rest_kept() {
        let (inputs, errors) = expand(&[PathBuf::from("-"), PathBuf::from("/definitely/not/here")]);
        assert_eq!(inputs, vec![Input::Stdin]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "no such file or directory");
    }

    #[test]
    fn os_messages_follow_the_error_style() {
        assert_eq!(lower_first("Permission denied (os error 13)"), "permission denied");
    }
}
